using System.Net.Sockets;

namespace Warden.Core.Fleet;

/// <summary>
/// The receiver's own rules for what another node shares, applied before anything reaches the
/// engine (whose <see cref="Policy.BanGuard"/> then checks the allowlist, ignoreip and the host's
/// own addresses as for every ban): only trusted, correctly signed, new entries of other nodes;
/// only accepted jails; no network wider than max_prefix4/6; the time left computed from the
/// absolute expiry and capped at max_bantime, so a stale or replayed entry is harmless; a token
/// bucket per origin. Not thread-safe: one caller (the fleet loop); <see cref="Stats"/> may be
/// read from any thread.
/// </summary>
/// <remarks>
/// Replays: each origin's sequence numbers only grow (<see cref="FleetSigner.NextSequence"/>) and
/// an origin's entries reach the stream in that order, so an entry at or below the origin's
/// watermark has been seen (or is a copy an attacker wrote back). The watermarks are kept with
/// the stream position (<see cref="Watermarks"/>), so a restart does not reopen the window.
/// </remarks>
public sealed class FleetPolicy(FleetPolicyOptions options, PeerKeys peers, FleetStats stats)
{
    private readonly FleetPolicyOptions _options = options ?? throw new ArgumentNullException(nameof(options));
    private readonly PeerKeys _peers = peers ?? throw new ArgumentNullException(nameof(peers));
    private readonly Dictionary<string, long> _watermarks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new(StringComparer.Ordinal);

    /// <summary>The counters.</summary>
    public FleetStats Stats { get; } = stats ?? throw new ArgumentNullException(nameof(stats));

    /// <summary>The highest sequence number seen of each origin.</summary>
    public IReadOnlyDictionary<string, long> Watermarks => _watermarks;

    /// <summary>Sets the watermarks kept from before a restart.</summary>
    public void Restore(IReadOnlyDictionary<string, long> watermarks)
    {
        ArgumentNullException.ThrowIfNull(watermarks);
        foreach (var (origin, seq) in watermarks)
        {
            _watermarks[origin] = Math.Max(seq, _watermarks.GetValueOrDefault(origin));
        }
    }

    /// <summary>Counts an entry that did not parse.</summary>
    public FleetVerdict Malformed()
    {
        Stats.AddDropped(FleetDrop.Malformed);
        return FleetVerdict.Dropped(null, FleetDrop.Malformed);
    }

    /// <summary>
    /// Judges one received entry at <paramref name="now"/>. An entry the verdict drops is counted;
    /// one it applies is counted by the caller once the engine took it.
    /// </summary>
    /// <param name="entry">The parsed entry.</param>
    /// <param name="now">The receiver's clock.</param>
    /// <param name="resync">True for entries read from the snapshot: one already seen is skipped silently, since the snapshot repeats the stream.</param>
    public FleetVerdict Judge(FleetEntry entry, DateTimeOffset now, bool resync = false)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var decision = entry.Decision;
        if (decision.Origin == _options.Node)
        {
            return FleetVerdict.Dropped(entry, FleetDrop.Own);
        }

        var trust = !_peers.Knows(decision.Origin) ? FleetDrop.UnknownOrigin
            : entry.Signature.Length == 0 ? FleetDrop.NoSignature
            : !_peers.Verify(entry) ? FleetDrop.Forged
            : decision.Sequence <= _watermarks.GetValueOrDefault(decision.Origin) ? FleetDrop.Replayed
            : (FleetDrop?)null;
        if (trust is { } untrusted)
        {
            if (!(resync && untrusted == FleetDrop.Replayed))
            {
                Stats.AddDropped(untrusted);
            }

            return FleetVerdict.Dropped(entry, untrusted);
        }

        _watermarks[decision.Origin] = decision.Sequence;
        Stats.Heard(decision.Origin, now);
        var verdict = Policy(entry, now);
        if (verdict.Drop is { } drop)
        {
            Stats.AddDropped(drop);
        }

        return verdict;
    }

    private FleetVerdict Policy(FleetEntry entry, DateTimeOffset now)
    {
        var decision = entry.Decision;
        if (_options.Accept is { } accept && !accept.Contains(decision.Jail))
        {
            return FleetVerdict.Dropped(entry, FleetDrop.NotAccepted);
        }

        var widest = decision.Target.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? _options.MaxPrefix4 : _options.MaxPrefix6;
        if (decision.Target.PrefixLength < widest)
        {
            return FleetVerdict.Dropped(entry, FleetDrop.TooWide);
        }

        if (!TakeToken(decision.Origin, now))
        {
            return FleetVerdict.Dropped(entry, FleetDrop.RateLimited);
        }

        if (decision.Kind == DecisionKind.Unban)
        {
            return new FleetVerdict(entry, null, TimeSpan.Zero);
        }

        // The expiry is absolute and signed: an old entry read late, or replayed, bans for what is
        // left of it and no longer; a peer's clock or config cannot ban here for longer than max_bantime.
        var remaining = decision.Expires is { } expires ? expires - now : _options.MaxBanTime;
        if (remaining <= TimeSpan.Zero)
        {
            return FleetVerdict.Dropped(entry, FleetDrop.Stale);
        }

        return new FleetVerdict(entry, null, remaining < _options.MaxBanTime ? remaining : _options.MaxBanTime);
    }

    private bool TakeToken(string origin, DateTimeOffset now)
    {
        var (tokens, at) = _buckets.TryGetValue(origin, out var bucket) ? bucket : (_options.Burst, now);
        var elapsed = now > at ? (now - at).TotalSeconds : 0;
        tokens = Math.Min(_options.Burst, tokens + (elapsed * _options.Rate));
        var allowed = tokens >= 1;
        _buckets[origin] = (allowed ? tokens - 1 : tokens, now);
        return allowed;
    }
}
