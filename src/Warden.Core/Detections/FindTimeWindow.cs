namespace Warden.Core.Detections;

/// <summary>How failures are counted within <c>findtime</c> (the jail's <c>findtime_window</c>).</summary>
public enum FindTimeWindow
{
    /// <summary>
    /// The attempts inside the window that ends at the newest one: what the setting says, and
    /// Warden's default.
    /// </summary>
    Sliding,

    /// <summary>
    /// fail2ban's count (server/failmanager.py and FailTicket.adjustTime): one count per address
    /// that, once its first failure leaves findtime, is scaled down to the rate seen so far. For
    /// a migration that must first reproduce fail2ban's bans exactly.
    /// </summary>
    Fail2Ban,
}
