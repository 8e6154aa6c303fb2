namespace Warden.Core.Policy;

/// <summary>Why <see cref="BanGuard"/> refused a ban.</summary>
public enum BanRefusal
{
    /// <summary>The target is every address of a family (<c>0.0.0.0/0</c> or <c>::/0</c>).</summary>
    EveryAddress,

    /// <summary>The target covers an address of the global allowlist (the host's own, loopback, warden.conf).</summary>
    Allowlisted,

    /// <summary>The target covers an address of the jail's <c>ignoreip</c>.</summary>
    Ignored,
}
