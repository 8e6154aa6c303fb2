namespace Warden.Core.Diagnostics;

/// <summary>How much a doctor finding matters.</summary>
public enum DoctorSeverity
{
    /// <summary>As it should be.</summary>
    Ok,

    /// <summary>Worth knowing, not wrong (Docker present, a bridge found).</summary>
    Info,

    /// <summary>Works, but probably not as the admin intends.</summary>
    Warning,

    /// <summary>Broken: bans or forwarding do not work as configured.</summary>
    Problem,
}
