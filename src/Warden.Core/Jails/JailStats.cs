namespace Warden.Core.Jails;

/// <summary>Counters of one jail. Written by the engine loop, readable from any thread.</summary>
public sealed class JailStats
{
    private long _failures;
    private long _ignored;
    private long _bans;
    private long _stale;
    private long _refused;

    /// <summary>Failures counted (after ignoreip and staleness checks).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Failures of allowlisted addresses, not counted.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>Bans made by the jail.</summary>
    public long Bans => Interlocked.Read(ref _bans);

    /// <summary>Failures older than findtime when read (old log lines), not counted.</summary>
    public long Stale => Interlocked.Read(ref _stale);

    /// <summary>Bans refused because they covered an allowlisted address (or every address).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    internal void AddRefused() => Interlocked.Increment(ref _refused);

    internal void AddFailure() => Interlocked.Increment(ref _failures);

    internal void AddIgnored() => Interlocked.Increment(ref _ignored);

    internal void AddBan() => Interlocked.Increment(ref _bans);

    internal void AddStale() => Interlocked.Increment(ref _stale);
}
