using System.Diagnostics.Metrics;
using Warden.Core.Bans;
using Warden.Core.Metrics;

namespace Warden.Core.Jails;

/// <summary>
/// Counters of one jail. Written by the engine loop, readable from any thread. The loop also
/// publishes them to <see cref="CoreMeter"/> (<see cref="Publish"/>): per flush, as the growth
/// since the last one, so a flood of lines costs an increment per line and a measurement per
/// flush, not a measurement per line.
/// </summary>
public sealed class JailStats
{
    // Published label values of BanOrigin, by its value, and of bans restored at start.
    private static readonly string[] OriginNames = ["log", "manual", "fleet", "prefix", "restore"];
    private const int Restored = 4;

    private static readonly Counter<long> MatchedInstrument = CoreMeter.Meter.CreateCounter<long>("lines_matched", "{line}", "Lines in which the jail's filter found at least one failure");
    private static readonly Counter<long> FailuresInstrument = CoreMeter.Meter.CreateCounter<long>("failures", "{failure}", "Failures counted towards maxretry (after ignoreip and findtime)");
    private static readonly Counter<long> BansInstrument = CoreMeter.Meter.CreateCounter<long>("bans", "{ban}", "Bans put in force, by origin (log, manual, fleet, prefix, restore: in force at start); mode=shadow for a jail that only observes");

    private readonly KeyValuePair<string, object?> _jailTag;
    private readonly KeyValuePair<string, object?> _modeTag;
    private readonly long[] _bansByOrigin = new long[OriginNames.Length];
    private readonly long[] _publishedBans = new long[OriginNames.Length];
    private long _matched;
    private long _failures;
    private long _ignored;
    private long _bans;
    private long _stale;
    private long _refused;
    private long _publishedMatched;
    private long _publishedFailures;
    private int _inForce;
    private bool _published;

    internal JailStats(string jail, bool observe)
    {
        _jailTag = new("jail", jail);
        _modeTag = new("mode", observe ? "shadow" : "enforce");
    }

    /// <summary>Lines in which the filter found at least one failure.</summary>
    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>Failures counted (after ignoreip and staleness checks).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Failures of allowlisted addresses, not counted.</summary>
    public long Ignored => Interlocked.Read(ref _ignored);

    /// <summary>Bans made by the jail (any origin but the restore at start).</summary>
    public long Bans => Interlocked.Read(ref _bans);

    /// <summary>Failures older than findtime when read (old log lines), not counted.</summary>
    public long Stale => Interlocked.Read(ref _stale);

    /// <summary>Bans refused because they covered an allowlisted address (or every address).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Bans of the jail in the book as of the engine's last flush.</summary>
    public int InForce => Volatile.Read(ref _inForce);

    /// <summary>The <c>jail</c> and <c>mode</c> labels of this jail's series.</summary>
    internal KeyValuePair<string, object?> JailTag => _jailTag;

    /// <inheritdoc cref="JailTag"/>
    internal KeyValuePair<string, object?> ModeTag => _modeTag;

    internal void AddRefused() => Interlocked.Increment(ref _refused);

    internal void AddMatched() => Interlocked.Increment(ref _matched);

    internal void AddFailure() => Interlocked.Increment(ref _failures);

    internal void AddIgnored() => Interlocked.Increment(ref _ignored);

    internal void AddBan(BanOrigin origin)
    {
        Interlocked.Increment(ref _bans);
        Interlocked.Increment(ref _bansByOrigin[(int)origin]);
    }

    internal void AddRestored() => Interlocked.Increment(ref _bansByOrigin[Restored]);

    internal void AddStale() => Interlocked.Increment(ref _stale);

    /// <summary>
    /// Sends what grew since the last call to the instruments and records the bans in force.
    /// Called by the engine loop only (one caller at a time).
    /// </summary>
    /// <param name="inForce">The jail's bans in the book now.</param>
    internal void Publish(int inForce)
    {
        if (!_published)
        {
            // Series at 0 from the start, so increase() and rate() see the first failure and ban.
            MatchedInstrument.Add(0, _jailTag);
            FailuresInstrument.Add(0, _jailTag);
            BansInstrument.Add(0, _jailTag, new("origin", OriginNames[(int)BanOrigin.Jail]), _modeTag);
            _published = true;
        }

        Volatile.Write(ref _inForce, inForce);
        PublishDelta(MatchedInstrument, Matched, ref _publishedMatched);
        PublishDelta(FailuresInstrument, Failures, ref _publishedFailures);
        for (var i = 0; i < _bansByOrigin.Length; i++)
        {
            var now = Interlocked.Read(ref _bansByOrigin[i]);
            if (now != _publishedBans[i])
            {
                BansInstrument.Add(now - _publishedBans[i], _jailTag, new("origin", OriginNames[i]), _modeTag);
                _publishedBans[i] = now;
            }
        }
    }

    private void PublishDelta(Counter<long> instrument, long now, ref long published)
    {
        if (now != published)
        {
            instrument.Add(now - published, _jailTag);
            published = now;
        }
    }
}
