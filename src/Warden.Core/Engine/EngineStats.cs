namespace Warden.Core.Engine;

/// <summary>Engine-wide counters, written by the engine loop and readable from any thread.</summary>
public sealed class EngineStats
{
    private long _lines;
    private long _overlong;
    private long _firewallErrors;
    private long _storeErrors;
    private long _commits;
    private long _evicted;
    private long _bansApplied;

    /// <summary>Lines read from all sources.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>Over-long lines that were cut.</summary>
    public long Overlong => Interlocked.Read(ref _overlong);

    /// <summary>Firewall calls that failed.</summary>
    public long FirewallErrors => Interlocked.Read(ref _firewallErrors);

    /// <summary>State commits that failed.</summary>
    public long StoreErrors => Interlocked.Read(ref _storeErrors);

    /// <summary>State commits written.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Failure ids and scanning sources dropped after findtime without a ban.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>Bans sent to the firewall by whole-state applies (start, recovery, drift repair).</summary>
    public long BansApplied => Interlocked.Read(ref _bansApplied);

    internal void AddLines(int count) => Interlocked.Add(ref _lines, count);

    internal void AddOverlong(int count) => Interlocked.Add(ref _overlong, count);

    internal void AddFirewallError() => Interlocked.Increment(ref _firewallErrors);

    internal void AddStoreError() => Interlocked.Increment(ref _storeErrors);

    internal void AddCommit() => Interlocked.Increment(ref _commits);

    internal void AddEvicted(int count) => Interlocked.Add(ref _evicted, count);

    internal void AddBansApplied(int count) => Interlocked.Add(ref _bansApplied, count);
}
