using System.Net;
using Warden.Core.Jails;

namespace Warden.Core.Detections;

/// <summary>
/// Counts, per source address, the distinct destination ports and destination addresses it
/// touched within a sliding window of findtime, and says when a source crosses the jail's
/// <see cref="PortScanPolicy"/> limits. Repeated packets to one port count once, so a client
/// using one service however often is never a scan. Not thread-safe (owned by the engine loop).
/// </summary>
/// <remarks>
/// Memory is bounded: a source keeps at most maxports + 1 ports and maxaddresses + 1 addresses
/// (expired ones are pruned when the list is full), sources idle for findtime are dropped by
/// <see cref="Evict"/>, and at most <c>capacity</c> sources are tracked (beyond it the stalest
/// eighth is dropped, as <see cref="FailureTracker"/> does, through the same <see cref="RecentMap{TKey, TValue}"/>).
/// </remarks>
public sealed class PortScanDetector
{
    private readonly RecentMap<IPAddress, Footprint> _sources;
    private readonly PortScanPolicy _policy;
    private readonly long _findTicks;
    private readonly Func<Footprint> _newFootprint;

    /// <summary>Creates a detector.</summary>
    /// <param name="policy">The limits; at least one of them above zero.</param>
    /// <param name="findTime">The window.</param>
    /// <param name="capacity">Most sources tracked at once.</param>
    public PortScanDetector(PortScanPolicy policy, TimeSpan findTime, int capacity = 100_000)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(policy.MaxPorts);
        ArgumentOutOfRangeException.ThrowIfNegative(policy.MaxAddresses);
        if (policy.MaxPorts == 0 && policy.MaxAddresses == 0)
        {
            throw new ArgumentException("maxports or maxaddresses must be above zero", nameof(policy));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(findTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _policy = policy;
        _findTicks = findTime.Ticks;
        _sources = new RecentMap<IPAddress, Footprint>(capacity);
        _newFootprint = () => new Footprint(policy);
    }

    /// <summary>Sources currently tracked.</summary>
    public int Count => _sources.Count;

    /// <summary>
    /// Records that <paramref name="source"/> sent a packet to <paramref name="destination"/>
    /// port <paramref name="port"/> at <paramref name="time"/>. Returns the distinct count that
    /// crossed a limit (the source is then forgotten: the caller bans it), or 0.
    /// </summary>
    public int Add(IPAddress source, IPAddress? destination, int? port, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(source);
        var ticks = time.UtcTicks;
        var footprint = _sources.Touch(source, ticks, _newFootprint, out var newest);
        var cutoff = newest - _findTicks;
        var ports = port is { } p && footprint.Ports is { } portList ? portList.Touch(p, ticks, cutoff) : 0;
        var addresses = destination is not null && footprint.Addresses is { } addressList ? addressList.Touch(destination, ticks, cutoff) : 0;
        if ((_policy.MaxPorts > 0 && ports > _policy.MaxPorts) || (_policy.MaxAddresses > 0 && addresses > _policy.MaxAddresses))
        {
            _sources.Remove(source);
            return Math.Max(ports, addresses);
        }

        return 0;
    }

    /// <summary>Forgets a source.</summary>
    public void Forget(IPAddress source) => _sources.Remove(source);

    /// <summary>Drops every source whose newest packet is older than <paramref name="now"/> minus findtime.</summary>
    /// <returns>How many sources were dropped.</returns>
    public int Evict(DateTimeOffset now) => _sources.EvictBefore(now.UtcTicks - _findTicks);

    private sealed class Footprint(PortScanPolicy policy)
    {
        public DistinctWindow<int>? Ports { get; } = policy.MaxPorts > 0 ? new(policy.MaxPorts + 1) : null;

        public DistinctWindow<IPAddress>? Addresses { get; } = policy.MaxAddresses > 0 ? new(policy.MaxAddresses + 1) : null;
    }

    /// <summary>At most <c>limit</c> distinct keys with the time each was last seen; linear, as limits are small.</summary>
    private sealed class DistinctWindow<T>(int limit)
        where T : notnull
    {
        private readonly List<(T Key, long Ticks)> _seen = [];

        /// <summary>Marks <paramref name="key"/> seen and returns how many distinct keys were seen since <paramref name="cutoff"/>.</summary>
        public int Touch(T key, long ticks, long cutoff)
        {
            var found = false;
            var inside = 0;
            for (var i = _seen.Count - 1; i >= 0; i--)
            {
                var entry = _seen[i];
                if (EqualityComparer<T>.Default.Equals(entry.Key, key))
                {
                    _seen[i] = (key, Math.Max(entry.Ticks, ticks));
                    found = true;
                    inside++;
                }
                else if (entry.Ticks < cutoff)
                {
                    _seen.RemoveAt(i);
                }
                else
                {
                    inside++;
                }
            }

            if (!found && ticks >= cutoff)
            {
                if (_seen.Count >= limit)
                {
                    _seen.RemoveAt(0);
                }

                _seen.Add((key, ticks));
                inside = Math.Min(inside + 1, limit);
            }

            return inside;
        }
    }
}
