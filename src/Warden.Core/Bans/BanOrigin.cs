namespace Warden.Core.Bans;

/// <summary>Where a ban came from; kept in the history so an admin can tell why an address is out.</summary>
public enum BanOrigin
{
    /// <summary>A jail counted maxretry failures within findtime.</summary>
    Jail,

    /// <summary>An admin ran <c>warden ban</c>.</summary>
    Manual,

    /// <summary>Another host of the fleet shared it.</summary>
    Fleet,

    /// <summary>Several addresses of one prefix were banned, so the prefix was.</summary>
    Prefix,
}
