using System.Net;
using System.Net.Sockets;
using Warden.Core.Addresses;

namespace Warden.Core.Policy;

/// <summary>
/// Remembers, per prefix, the distinct addresses a jail banned within findtime and says when a
/// prefix reaches the threshold. Memory is bounded: entries older than findtime are dropped by
/// <see cref="Evict"/>, and at most <c>capacity</c> prefixes are tracked. Not thread-safe; owned
/// by the engine loop.
/// </summary>
public sealed class PrefixAggregator
{
    private readonly Dictionary<IPNetwork, List<(IPAddress Address, DateTimeOffset At)>> _prefixes = [];
    private readonly PrefixAggregation _settings;
    private readonly TimeSpan _window;
    private readonly int _capacity;

    /// <summary>Creates an aggregator for one jail.</summary>
    public PrefixAggregator(PrefixAggregation settings, TimeSpan window, int capacity = 100_000)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Threshold, 2);
        _settings = settings;
        _window = window;
        _capacity = capacity;
    }

    /// <summary>Prefixes tracked.</summary>
    public int Count => _prefixes.Count;

    /// <summary>The prefix an address aggregates to, or <c>null</c> when its family does not aggregate.</summary>
    public IPNetwork? PrefixOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = AddressParsing.Normalize(address);
        var length = normalized.AddressFamily == AddressFamily.InterNetwork ? _settings.IPv4Prefix : _settings.IPv6Prefix;
        return length is { } bits ? AddressParsing.ToNetwork(normalized, bits) : null;
    }

    /// <summary>
    /// Records that <paramref name="address"/> was banned at <paramref name="now"/>; returns its
    /// prefix when that prefix now holds at least the threshold of distinct banned addresses
    /// within the window (the prefix is then forgotten), otherwise <c>null</c>.
    /// </summary>
    public IPNetwork? Record(IPAddress address, DateTimeOffset now)
    {
        if (PrefixOf(address) is not { } prefix)
        {
            return null;
        }

        var normalized = AddressParsing.Normalize(address);
        if (!_prefixes.TryGetValue(prefix, out var seen))
        {
            if (_prefixes.Count >= _capacity)
            {
                Evict(now);
                if (_prefixes.Count >= _capacity)
                {
                    return null;
                }
            }

            seen = [];
            _prefixes[prefix] = seen;
        }

        seen.RemoveAll(s => s.At < now - _window || s.Address.Equals(normalized));
        seen.Add((normalized, now));
        if (seen.Count < _settings.Threshold)
        {
            return null;
        }

        _prefixes.Remove(prefix);
        return prefix;
    }

    /// <summary>Forgets addresses banned longer ago than the window, and prefixes left empty.</summary>
    public void Evict(DateTimeOffset now)
    {
        foreach (var (prefix, seen) in _prefixes)
        {
            seen.RemoveAll(s => s.At < now - _window);
            if (seen.Count == 0)
            {
                _prefixes.Remove(prefix);
            }
        }
    }
}
