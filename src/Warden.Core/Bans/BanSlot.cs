namespace Warden.Core.Bans;

/// <summary>
/// What <see cref="BanBook"/> keeps of a ban besides its key: times as UTC ticks and the small
/// fields, 24 bytes inline and no reference for the GC to trace.
/// </summary>
/// <param name="Start">UTC ticks of the start.</param>
/// <param name="Expires">UTC ticks of the expiry; <see cref="Permanent"/> for none.</param>
/// <param name="Failures">Failures counted for the ban.</param>
/// <param name="PriorBans">Earlier bans that counted for escalation (the engine reads at most 64 of them).</param>
/// <param name="OriginCode">Why the ban exists, as its <see cref="BanOrigin"/> value.</param>
/// <param name="NodeCode">A fleet ban's origin node, as 1 + its index in the book's node names; 0 for none (it fits the padding: still 24 bytes).</param>
internal readonly record struct BanSlot(long Start, long Expires, int Failures, ushort PriorBans, byte OriginCode, byte NodeCode = 0)
{
    /// <summary>Marks a permanent ban (no real expiry can be this late).</summary>
    public const long Permanent = long.MaxValue;

    public BanOrigin Origin => (BanOrigin)OriginCode;

    public static BanSlot Of(Ban ban, byte nodeCode = 0) => new(
        ban.Start.UtcTicks,
        ban.Expires?.UtcTicks ?? Permanent,
        ban.Failures,
        (ushort)Math.Clamp(ban.PriorBans, 0, ushort.MaxValue),
        (byte)ban.Origin,
        nodeCode);

    public bool IsActiveAt(long nowTicks) => Expires > nowTicks;
}
