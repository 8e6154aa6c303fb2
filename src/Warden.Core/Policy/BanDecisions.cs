using System.Net;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Detections;
using Warden.Core.Jails;
using Warden.Core.Ports;

namespace Warden.Core.Policy;

/// <summary>
/// Ban decisions: from the lines a jail's filter reads to the bans in the book. Counts failures
/// (findtime, ignoreip, the allowlist, port-scan footprints), then decides each address that
/// reached maxretry (ignorecommand, escalation from the ban history, the guard, prefix
/// aggregation, recidive), and takes manual bans and unbans. Every change goes to the
/// <see cref="IDecisionSink"/>; nothing here touches a firewall or a store, so a replay drives
/// the same decisions with each line's own time as the clock. Not thread-safe: one caller at a
/// time (the engine loop).
/// </summary>
public sealed partial class BanDecisions
{
    /// <summary>A duration meaning "permanent" for <see cref="BanAsync(string, IPNetwork, TimeSpan?, BanOrigin, string?, CancellationToken)"/> (fail2ban's <c>-1</c>).</summary>
    public static readonly TimeSpan Permanent = Timeout.InfiniteTimeSpan;

    /// <summary>The longest time Warden takes for a ban or a window, in seconds: 100 years (of 365.25 days).</summary>
    public const double LongestSeconds = 100 * 365.25 * 24 * 60 * 60;

    // Escalation never needs more: the default formula stops growing after 20 earlier bans.
    private const int HistoryLimit = 64;

    /// <summary>The evidence source of a recidive jail's lines: bans Warden itself imposed.</summary>
    public const string RecidiveSource = "warden";

    private readonly JailSet _jails;
    private readonly BanBook _book;
    private readonly BanGuard _guard;
    private readonly IDecisionSink _sink;
    private readonly IBanHistory? _history;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly ILogger _log;
    private readonly List<BanCandidate> _candidates = [];
    private readonly List<Detection> _detections = [];

    /// <summary>Creates the decisions over <paramref name="book"/>, which they fill and empty.</summary>
    /// <param name="jails">The running jails.</param>
    /// <param name="book">The bans in force.</param>
    /// <param name="guard">The allowlist guard every ban passes.</param>
    /// <param name="sink">Receives every change.</param>
    /// <param name="history">Earlier bans, for <c>bantime.increment</c>; <c>null</c> bans every time for the base time.</param>
    /// <param name="time">The clock: the system's for the daemon, each line's own time for a replay.</param>
    /// <param name="random">Numbers in [0, 1) for <c>bantime.rndtime</c>.</param>
    /// <param name="logger">Where decisions are logged.</param>
    public BanDecisions(JailSet jails, BanBook book, BanGuard guard, IDecisionSink sink, IBanHistory? history, TimeProvider time, Func<double> random, ILogger logger)
    {
        _jails = jails ?? throw new ArgumentNullException(nameof(jails));
        _book = book ?? throw new ArgumentNullException(nameof(book));
        _guard = guard ?? throw new ArgumentNullException(nameof(guard));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _history = history;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _log = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Runs <paramref name="lines"/> through the filters of <paramref name="jails"/> and counts
    /// what they find; addresses that reach maxretry wait for <see cref="DecideAsync"/>.
    /// </summary>
    public void Read(IReadOnlyList<Jail> jails, IReadOnlyList<string> lines) => Read(jails, lines, string.Empty);

    /// <summary>
    /// Like <see cref="Read(IReadOnlyList{Jail}, IReadOnlyList{string})"/>, naming the source
    /// the lines come from in the evidence of the bans they cause.
    /// </summary>
    /// <param name="jails">The jails that read the source.</param>
    /// <param name="lines">Consecutive lines of the source.</param>
    /// <param name="source">The source's id (<see cref="ILogSource.Id"/>).</param>
    public void Read(IReadOnlyList<Jail> jails, IReadOnlyList<string> lines, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(lines);
        var now = _time.GetUtcNow();
        foreach (var line in lines)
        {
            foreach (var jail in jails)
            {
                _detections.Clear();
                jail.Filter.Process(line, _detections);
                if (_detections.Count > 0)
                {
                    jail.Stats.AddMatched();
                }

                foreach (var detection in _detections)
                {
                    Count(jail, detection, now, source);
                }
            }
        }
    }

    /// <summary>
    /// Counts one detection that <paramref name="jail"/>'s filter found, at the clock's time: for a
    /// replay, which runs the filters itself to merge several logs by time. As in
    /// <see cref="Read(IReadOnlyList{Jail}, IReadOnlyList{string}, string)"/>, an address that
    /// reaches maxretry waits for <see cref="DecideAsync"/>; <paramref name="source"/> names the
    /// log in the ban's evidence.
    /// </summary>
    public void Count(Jail jail, Detection detection, string source)
    {
        ArgumentNullException.ThrowIfNull(jail);
        ArgumentNullException.ThrowIfNull(detection);
        ArgumentNullException.ThrowIfNull(source);
        Count(jail, detection, _time.GetUtcNow(), source);
    }

    /// <summary>Decides every waiting candidate; candidates added meanwhile (recidive) are decided too.</summary>
    public async Task DecideAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _candidates.Count; i++)
        {
            await DecideOneAsync(_candidates[i], cancellationToken);
        }

        _candidates.Clear();
    }

    /// <summary>
    /// Bans <paramref name="target"/> in <paramref name="jail"/> (replacing a ban of the same
    /// target there), through the same guard as every ban, and forgets its failures.
    /// </summary>
    /// <param name="jail">The jail whose firewall set holds the ban.</param>
    /// <param name="target">An address or network; host bits are cleared.</param>
    /// <param name="duration">How long; <c>null</c> for the jail's (escalated) bantime, <see cref="Permanent"/> for ever.</param>
    /// <param name="origin">Who asks: <see cref="BanOrigin.Manual"/> for an admin, <see cref="BanOrigin.Fleet"/> for another host.</param>
    /// <param name="cancellationToken">Cancels reading the ban history.</param>
    public Task<BanOutcome> BanAsync(string jail, IPNetwork target, TimeSpan? duration, BanOrigin origin, CancellationToken cancellationToken) =>
        BanAsync(jail, target, duration, origin, null, cancellationToken);

    /// <summary>
    /// Like <see cref="BanAsync(string, IPNetwork, TimeSpan?, BanOrigin, CancellationToken)"/>,
    /// recording who made the ban (<see cref="Ban.By"/>) in its history.
    /// </summary>
    /// <param name="jail">The jail whose firewall set holds the ban.</param>
    /// <param name="target">An address or network; host bits are cleared.</param>
    /// <param name="duration">How long; <c>null</c> for the jail's (escalated) bantime, <see cref="Permanent"/> for ever.</param>
    /// <param name="origin">Who asks: <see cref="BanOrigin.Manual"/> for an admin, <see cref="BanOrigin.Fleet"/> for another host.</param>
    /// <param name="by">The admin (<c>uid 0</c>) or fleet host that asks; <c>null</c> when unknown.</param>
    /// <param name="cancellationToken">Cancels reading the ban history.</param>
    public async Task<BanOutcome> BanAsync(string jail, IPNetwork target, TimeSpan? duration, BanOrigin origin, string? by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jail);
        if (!_jails.TryGet(jail, out var running))
        {
            return BanOutcome.NoSuchJail(jail);
        }

        var now = _time.GetUtcNow();
        target = AddressParsing.ToNetwork(target.BaseAddress, target.PrefixLength);
        if (_guard.Check(target, running.Ignore) is { } refusal)
        {
            running.Stats.AddRefused();
            Log.Refused(_log, jail, AddressParsing.Format(target), origin, refusal);
            return BanOutcome.Refused(refusal);
        }

        var prior = 0;
        TimeSpan? banTime;
        if (duration is null)
        {
            (banTime, prior) = await BanTimeAsync(running, target, now, cancellationToken);
        }
        else
        {
            banTime = duration == Permanent ? null : duration;
        }

        var ban = new Ban(jail, target, now, Expiry(now, banTime), origin, 0) { PriorBans = prior, By = by, Observed = running.Policy.Observe };
        Impose(ban);
        running.Tracker.Forget(AddressParsing.Format(target));
        await DecideAsync(cancellationToken);
        return BanOutcome.Banned(ban);
    }

    /// <summary>
    /// Lifts every ban, in any jail, whose target shares an address with <paramref name="target"/>
    /// (unbanning an address also lifts a prefix ban that covers it), and forgets its failures.
    /// </summary>
    /// <returns>The bans lifted; empty when none touched the target.</returns>
    public IReadOnlyList<Ban> Unban(IPNetwork target)
    {
        var lifted = _book.Overlapping(target);
        var now = _time.GetUtcNow();
        foreach (var ban in lifted)
        {
            Lift(ban, now);
            Log.Unbanned(_log, ban.Jail, AddressParsing.Format(ban.Target));
        }

        foreach (var jail in _jails.All)
        {
            jail.Tracker.Forget(AddressParsing.Format(target));
        }

        return lifted;
    }

    /// <summary>
    /// Lifts the ban of exactly <paramref name="target"/> in <paramref name="jail"/> when
    /// <paramref name="origin"/> shared it (its fleet tombstone); a ban this host made itself, or
    /// one another node shared, stays. A fleet ban of unknown origin (stored before origins were)
    /// is lifted by any node's tombstone.
    /// </summary>
    /// <returns>The ban lifted, or <c>null</c>.</returns>
    public Ban? UnbanShared(string jail, IPNetwork target, string origin)
    {
        target = AddressParsing.ToNetwork(target.BaseAddress, target.PrefixLength);
        if (_book.Find(jail, target) is not { Origin: BanOrigin.Fleet } ban || (ban.By is { } by && by != origin))
        {
            return null;
        }

        Lift(ban, _time.GetUtcNow());
        Log.Unbanned(_log, ban.Jail, AddressParsing.Format(ban.Target));
        return ban;
    }

    /// <summary>Lifts every ban in force.</summary>
    /// <returns>The bans lifted.</returns>
    public IReadOnlyList<Ban> UnbanAll()
    {
        var lifted = _book.All.ToList();
        var now = _time.GetUtcNow();
        foreach (var ban in lifted)
        {
            Lift(ban, now);
        }

        Log.UnbannedAll(_log, lifted.Count);
        return lifted;
    }

    /// <summary>
    /// Replaces a jail's resolved <c>ignoreip</c> host names. Bans of the jail that now cover an
    /// ignored address are lifted: the allowlist beats bans made before it grew.
    /// </summary>
    /// <returns>The bans lifted; empty for an unknown jail.</returns>
    public IReadOnlyList<Ban> SetResolvedIgnore(string jail, AddressSet addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (!_jails.TryGet(jail, out var running))
        {
            return [];
        }

        running.ResolvedIgnore = addresses;
        var now = _time.GetUtcNow();
        var lifted = _book.All.Where(b => b.Jail == jail && _guard.Check(b, running.Ignore) is not null).ToList();
        foreach (var ban in lifted)
        {
            Lift(ban, now);
        }

        return lifted;
    }

    /// <summary>Ends the bans whose expiry has come.</summary>
    public void Expire()
    {
        var expired = _book.TakeExpired(_time.GetUtcNow());
        if (expired.Count == 0)
        {
            return;
        }

        foreach (var ban in expired)
        {
            Log.Expired(_log, ban.Jail, AddressParsing.Format(ban.Target));
        }

        _sink.Expired(expired);
    }

    /// <summary>Forgets failures, scan footprints and aggregation records older than each jail's findtime.</summary>
    /// <returns>How many failure ids and scanning sources were dropped.</returns>
    public int Evict()
    {
        var now = _time.GetUtcNow();
        var evicted = 0;
        foreach (var jail in _jails.All)
        {
            evicted += jail.Tracker.Evict(now);
            evicted += jail.Scan?.Evict(now) ?? 0;
            jail.Aggregator?.Evict(now);
        }

        return evicted;
    }

    private void Count(Jail jail, Detection detection, DateTimeOffset now, string source)
    {
        var policy = jail.Policy;
        if (detection.Time < now - policy.FindTime)
        {
            // fail2ban (server/filter.py) skips lines older than findtime the same way: an old
            // line read after a restart or from a backlog must not ban anyone today.
            jail.Stats.AddStale();
            return;
        }

        if (detection.Address is not { } address)
        {
            // A failure id that is not an address (F-ID) cannot be banned by address.
            return;
        }

        if (jail.Ignore.Contains(address) || _guard.Allowlist.Contains(address))
        {
            jail.Stats.AddIgnored();
            Log.Ignored(_log, jail.Name, address);
            return;
        }

        if (_book.IsBanned(jail.Name, address, now))
        {
            return;
        }

        if (jail.Scan is { } scan)
        {
            CountScan(jail, scan, address, detection, source);
            return;
        }

        jail.Stats.AddFailure();
        _sink.Counted(new StoredFailure(jail.Name, detection.Id, address, detection.Time, detection.Attempts));
        var keep = policy.MaxMatches > 0 || policy.EvidenceLines > 0;
        var count = jail.Tracker.Add(detection.Id, detection.Time, detection.Attempts, keep ? new EvidenceLine(detection.Time, source, detection.Line) : null);
        Log.Found(_log, jail.Name, address, count, policy.MaxRetry);
        if (count >= policy.MaxRetry)
        {
            // The ban itself is decided after the batch, where slow checks may be awaited.
            _sink.Settled(jail.Name, detection.Id);
            _candidates.Add(new BanCandidate(jail, address, count, detection, jail.Tracker.TakenEvidence));
        }
    }

    // A port-scan jail counts distinct destinations, not failures. Its packets are not stored as
    // failures: a scan lasts seconds, and a row per logged packet would flood the store.
    private void CountScan(Jail jail, PortScanDetector scan, IPAddress address, Detection detection, string source)
    {
        jail.Stats.AddFailure();
        var distinct = scan.Add(address, detection.Destination, detection.DestinationPort, detection.Time);
        if (distinct > 0)
        {
            Log.ScanFound(_log, jail.Name, address, distinct);
            _candidates.Add(new BanCandidate(jail, address, distinct, detection, [new EvidenceLine(detection.Time, source, detection.Line)]));
        }
    }

    private async Task DecideOneAsync(BanCandidate candidate, CancellationToken cancellationToken)
    {
        var jail = candidate.Jail;
        var now = _time.GetUtcNow();
        if (_book.IsBanned(jail.Name, candidate.Address, now))
        {
            return;
        }

        // fail2ban asks ignorecommand for every failure (server/filter.py inIgnoreIPList); asking
        // once at the ban has the same outcome without a process per log line.
        if (jail.IgnoreCheck is { } check && await check.IsIgnoredAsync(jail.Name, candidate.Address, cancellationToken))
        {
            jail.Stats.AddIgnored();
            Log.IgnoredByCommand(_log, jail.Name, candidate.Address);
            return;
        }

        var target = AddressParsing.HostNetwork(candidate.Address);
        var (banTime, prior) = await BanTimeAsync(jail, target, now, cancellationToken);
        var ban = new Ban(jail.Name, target, now, Expiry(now, banTime), BanOrigin.Jail, candidate.Failures)
        {
            Matches = Newest(candidate.Evidence, jail.Policy.MaxMatches, e => e.Line),
            Evidence = Newest(candidate.Evidence, jail.Policy.EvidenceLines, e => e),
            Fields = candidate.Last.Fields,
            PriorBans = prior,
            Observed = jail.Policy.Observe,
        };
        if (Impose(ban))
        {
            Aggregate(jail, candidate.Address, ban, now);
        }
    }

    /// <summary>The jail's ban time for <paramref name="target"/>, increased for an address banned before.</summary>
    private async Task<(TimeSpan? BanTime, int Prior)> BanTimeAsync(Jail jail, IPNetwork target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var baseTime = jail.Policy.BanTime;
        if (jail.Policy.Increment is not { } increment || _history is null || baseTime is null)
        {
            return (baseTime, 0);
        }

        IReadOnlyList<PastBan> history;
        try
        {
            history = await _history.HistoryAsync(target, HistoryLimit, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Without history the ban still happens, at the base time.
            Log.HistoryFailed(_log, ex);
            return (baseTime, 0);
        }

        var prior = Escalation.PriorBans(history, jail.Name, now, increment);
        var banTime = Escalation.BanTime(baseTime, prior, increment, _random);
        if (prior > 0)
        {
            Log.Escalated(_log, jail.Name, AddressParsing.Format(target), prior, baseTime, banTime);
        }

        return (banTime, prior);
    }

    /// <summary>
    /// Puts a ban in force: the single choke point every ban passes, whatever its origin. The
    /// guard refuses a ban that covers an allowlisted address or every address.
    /// </summary>
    /// <returns>False when the guard refused it.</returns>
    private bool Impose(Ban ban)
    {
        _jails.TryGet(ban.Jail, out var jail);
        if (_guard.Check(ban, jail!.Ignore) is { } refusal)
        {
            jail.Stats.AddRefused();
            Log.Refused(_log, ban.Jail, AddressParsing.Format(ban.Target), ban.Origin, refusal);
            return false;
        }

        // The log lines and captures stay with the ban only for a jail whose command actions use them.
        _book.Put(ban, keepDetails: jail.Policy.MaxMatches > 0);
        _sink.Imposed(ban);
        jail.Stats.AddBan(ban.Origin);
        if (jail.Policy.Observe)
        {
            Log.WouldBan(_log, ban.Jail, AddressParsing.Format(ban.Target), BanTimeText.Expiry(ban.Expires), ban.Origin, ban.Failures);
        }
        else
        {
            Log.Banned(_log, ban.Jail, AddressParsing.Format(ban.Target), BanTimeText.Expiry(ban.Expires), ban.Origin, ban.Failures);
        }

        FeedRecidive(ban);
        return true;
    }

    /// <summary>
    /// After a ban of <paramref name="address"/>: when its prefix now holds enough banned
    /// addresses, ban the prefix (through the guard, so never over an allowlisted address) and
    /// lift the single bans it covers. A refused prefix leaves the single bans as they are.
    /// </summary>
    private void Aggregate(Jail jail, IPAddress address, Ban trigger, DateTimeOffset now)
    {
        if (jail.Aggregator?.Record(address, now) is not { } prefix || _book.Find(jail.Name, prefix) is not null)
        {
            return;
        }

        var covered = _book.Covered(jail.Name, prefix);
        var expires = trigger.Expires;
        var failures = 0;
        foreach (var ban in covered)
        {
            failures += ban.Failures;
            expires = expires is null || ban.Expires is null ? null : (ban.Expires > expires ? ban.Expires : expires);
        }

        // The lines of the ban that completed the prefix say why the prefix went too.
        var prefixBan = new Ban(jail.Name, prefix, now, expires, BanOrigin.Prefix, failures) { PriorBans = trigger.PriorBans, Evidence = trigger.Evidence, Observed = jail.Policy.Observe };
        if (!Impose(prefixBan))
        {
            return;
        }

        foreach (var ban in covered)
        {
            Lift(ban, now);
        }

        Log.Aggregated(_log, jail.Name, AddressParsing.Format(prefix), covered.Count);
    }

    /// <summary>Ends a ban before its expiry: out of the book, and to the sink as lifted.</summary>
    private void Lift(Ban ban, DateTimeOffset now)
    {
        if (_book.Remove(ban.Jail, ban.Target) is not null)
        {
            _sink.Lifted(ban, now);
        }
    }

    /// <summary>A recidive jail counts each ban another jail imposes as one failure of its target.</summary>
    private void FeedRecidive(Ban ban)
    {
        // fail2ban's filter.d/recidive.conf matches "Ban" lines of other jails only (not its own,
        // not "Restore Ban"), so restored, prefix and fleet bans are not counted either.
        if (ban.Origin is not (BanOrigin.Jail or BanOrigin.Manual) || !AddressParsing.IsHost(ban.Target))
        {
            return;
        }

        foreach (var jail in _jails.Recidive)
        {
            if (jail.Name != ban.Jail)
            {
                var target = AddressParsing.Format(ban.Target);
                Count(jail, new Detection(target, ban.Target.BaseAddress, ban.Start, $"[{ban.Jail}] Ban {target}", Detection.NoFields), ban.Start, RecidiveSource);
            }
        }
    }

    // The last `count` items (the newest), oldest first.
    private static T[] Newest<T>(IReadOnlyList<EvidenceLine> lines, int count, Func<EvidenceLine, T> select)
    {
        var n = Math.Min(count, lines.Count);
        if (n == 0)
        {
            return [];
        }

        var result = new T[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = select(lines[lines.Count - n + i]);
        }

        return result;
    }

    private static DateTimeOffset? Expiry(DateTimeOffset now, TimeSpan? banTime) =>
        banTime is { } time ? now + time : null;
}
