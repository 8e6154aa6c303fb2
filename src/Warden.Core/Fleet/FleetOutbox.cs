using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Warden.Core.Bans;
using Warden.Core.Policy;
using Warden.Core.Ports;

namespace Warden.Core.Fleet;

/// <summary>
/// This node's own decisions waiting to be published: every ban a jail or an admin made here
/// (with its absolute expiry) and every early lift of one (a tombstone). Never what came from the
/// fleet (no echo loops) and never an observing jail's "would ban". A later decision of the same
/// jail and target replaces a waiting one, so while the bus is down the queue holds at most one
/// decision per ban. Beyond <c>capacity</c> the oldest waiting ban goes (the next republish sends
/// the bans still in force again); a tombstone goes only when nothing but tombstones waits, since
/// nothing would ever send it again and peers would hold the ban until it expires. Thread-safe:
/// the engine loop adds, the fleet loop takes.
/// </summary>
/// <remarks>
/// Decisions wait unsigned with sequence 0: the publisher numbers and signs them when it sends
/// them, so sequence numbers grow in the order entries reach the stream, which is what the
/// receivers' replay check (<see cref="FleetPolicy"/>) needs.
/// </remarks>
public sealed class FleetOutbox : IDecisionSink
{
    private readonly string _node;
    private readonly IReadOnlySet<string>? _share;
    private readonly int _capacity;
    // Bans and tombstones wait apart, so an overflow finds the oldest ban at once; the stamps
    // (the order they were added in, returned ones below every other) merge them when taken.
    private readonly LinkedList<(long Stamp, FleetDecision Decision)> _bans = new();
    private readonly LinkedList<(long Stamp, FleetDecision Decision)> _lifts = new();
    private readonly Dictionary<(string Jail, IPNetwork Target), LinkedListNode<(long Stamp, FleetDecision Decision)>> _byKey = [];
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _overflowed;
    private int _taken;
    // Jail and target of the decisions taken and not yet sent or returned: anti-entropy does not
    // queue a second copy of a ban that is being published.
    private readonly HashSet<(string Jail, IPNetwork Target)> _inFlight = [];
    private long _lastStamp;
    private long _frontStamp;

    /// <summary>Creates an empty outbox.</summary>
    /// <param name="node">This node's name, the origin of every decision.</param>
    /// <param name="share">Jails whose decisions are shared (<c>share</c>); <c>null</c> for all.</param>
    /// <param name="capacity">Most decisions held (<c>queue</c>).</param>
    public FleetOutbox(string node, IReadOnlySet<string>? share, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _node = DecisionText.IsName(node) ? node : throw new ArgumentException($"'{node}' is not a node name", nameof(node));
        _share = share;
        _capacity = capacity;
    }

    /// <summary>Decisions waiting, and taken but not yet <see cref="Sent"/> or <see cref="Return"/>ed.</summary>
    public int Count
    {
        get
        {
            lock (_byKey)
            {
                return _byKey.Count + _taken;
            }
        }
    }

    /// <summary>Decisions dropped because the outbox was full.</summary>
    public long Overflowed => Interlocked.Read(ref _overflowed);

    /// <summary>True when <paramref name="ban"/> is this node's to share.</summary>
    /// <param name="ban">A ban in force here.</param>
    public bool Shares(Ban ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        return ban.Origin != BanOrigin.Fleet && !ban.Observed && (_share is null || _share.Contains(ban.Jail)) && DecisionText.IsName(ban.Jail);
    }

    /// <inheritdoc />
    public void Imposed(Ban ban)
    {
        if (Shares(ban))
        {
            Add(BanDecision(ban, ban.Start));
        }
    }

    /// <inheritdoc />
    public void Lifted(Ban ban, DateTimeOffset at)
    {
        if (Shares(ban))
        {
            Add(new FleetDecision(_node, 0, DecisionKind.Unban, ban.Jail, ban.Target, at, null, "lifted", ""));
        }
    }

    /// <inheritdoc />
    public void Counted(StoredFailure failure)
    {
        // Failures stay local: only decisions travel.
    }

    /// <inheritdoc />
    public void Settled(string jail, string id)
    {
        // Failures stay local.
    }

    /// <inheritdoc />
    public void Expired(IReadOnlyList<Ban> bans)
    {
        // The expiry travelled with the ban: every receiver ends it at the same time.
    }

    /// <summary>
    /// Queues the bans in force of this node again (anti-entropy), issued at <paramref name="now"/>,
    /// so a Redis that lost its data, or a peer that missed them, gets them back.
    /// </summary>
    /// <param name="bans">The bans in force here; those not this node's to share are skipped.</param>
    /// <param name="now">The re-issue time.</param>
    /// <returns>How many were queued.</returns>
    public int Republish(IEnumerable<Ban> bans, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(bans);
        var queued = 0;
        foreach (var ban in bans)
        {
            if (Shares(ban) && ban.IsActiveAt(now) && !InFlight(ban))
            {
                Add(BanDecision(ban, now));
                queued++;
            }
        }

        return queued;
    }

    /// <summary>Takes up to <paramref name="max"/> decisions, oldest first.</summary>
    public IReadOnlyList<FleetDecision> Take(int max)
    {
        lock (_byKey)
        {
            var taken = new List<FleetDecision>(Math.Min(max, _byKey.Count));
            while (taken.Count < max && (_bans.First, _lifts.First) is var (ban, lift) && (ban ?? lift) is not null)
            {
                var first = ban is null || (lift is not null && lift.Value.Stamp < ban.Value.Stamp) ? lift! : ban;
                first.List!.Remove(first);
                _byKey.Remove((first.Value.Decision.Jail, first.Value.Decision.Target));
                _inFlight.Add((first.Value.Decision.Jail, first.Value.Decision.Target));
                taken.Add(first.Value.Decision);
            }

            _taken += taken.Count;
            return taken;
        }
    }

    /// <summary>Says that <paramref name="count"/> decisions taken were published.</summary>
    public void Sent(int count)
    {
        lock (_byKey)
        {
            _taken = Math.Max(0, _taken - count);
            if (_taken == 0)
            {
                _inFlight.Clear();
            }
        }
    }

    /// <summary>
    /// Puts back decisions taken but not published (the loop stopped), in front, unless a newer
    /// decision of the same jail and target is already waiting. When the outbox filled up in the
    /// meantime, returned bans are dropped and returned tombstones take the place of waiting bans.
    /// </summary>
    public void Return(IReadOnlyList<FleetDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        lock (_byKey)
        {
            _taken = Math.Max(0, _taken - decisions.Count);
            for (var i = decisions.Count - 1; i >= 0; i--)
            {
                var decision = decisions[i] with { Sequence = 0 };
                _inFlight.Remove((decision.Jail, decision.Target));
                if (_byKey.ContainsKey((decision.Jail, decision.Target)))
                {
                    continue;
                }

                // Full: a returned ban is dropped (a republish sends it again), a returned tombstone makes room.
                if (_byKey.Count < _capacity || (decision.Kind == DecisionKind.Unban && MakeRoom(decision.Kind)))
                {
                    _byKey[(decision.Jail, decision.Target)] = ListOf(decision.Kind).AddFirst((--_frontStamp, decision));
                }
                else
                {
                    Interlocked.Increment(ref _overflowed);
                }
            }
        }

        Signal();
    }

    /// <summary>Completes when decisions may be waiting; the caller then <see cref="Take"/>s.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        lock (_byKey)
        {
            if (_byKey.Count > 0)
            {
                return;
            }
        }

        await _signal.Reader.ReadAsync(cancellationToken);
    }

    private bool InFlight(Ban ban)
    {
        lock (_byKey)
        {
            return _inFlight.Contains((ban.Jail, ban.Target));
        }
    }

    private void Add(FleetDecision decision)
    {
        lock (_byKey)
        {
            var key = (decision.Jail, decision.Target);
            if (_byKey.Remove(key, out var waiting))
            {
                waiting.List!.Remove(waiting);
            }
            else if (!MakeRoom(decision.Kind))
            {
                return;
            }

            _byKey[key] = ListOf(decision.Kind).AddLast((++_lastStamp, decision));
        }

        Signal();
    }

    // Full: the oldest ban waiting goes, else (only tombstones wait) the oldest tombstone for a
    // new tombstone, and a new ban is the one dropped. Each drop is counted. Under the lock.
    private bool MakeRoom(DecisionKind incoming)
    {
        if (_byKey.Count < _capacity)
        {
            return true;
        }

        Interlocked.Increment(ref _overflowed);
        var victim = _bans.First ?? (incoming == DecisionKind.Unban ? _lifts.First : null);
        if (victim is null)
        {
            return false;
        }

        victim.List!.Remove(victim);
        _byKey.Remove((victim.Value.Decision.Jail, victim.Value.Decision.Target));
        return true;
    }

    private LinkedList<(long Stamp, FleetDecision Decision)> ListOf(DecisionKind kind) => kind == DecisionKind.Ban ? _bans : _lifts;

    private void Signal() => _signal.Writer.TryWrite(true);

    private FleetDecision BanDecision(Ban ban, DateTimeOffset issued) =>
        new(_node, 0, DecisionKind.Ban, ban.Jail, ban.Target, issued, ban.Expires, Reason(ban), Digest(ban.Evidence));

    private static string Reason(Ban ban) => ban.Origin switch
    {
        BanOrigin.Jail => $"{ban.Jail}: {ban.Failures} failures",
        BanOrigin.Prefix => $"{ban.Jail}: prefix of {ban.Failures} failures",
        _ => $"{ban.Jail}: manual ban",
    };

    // SHA-256 of the evidence lines the origin keeps, so a receiver can ask for them by digest.
    private static string Digest(IReadOnlyList<EvidenceLine> evidence)
    {
        if (evidence.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var line in evidence)
        {
            text.Append(line.Time.ToUnixTimeMilliseconds()).Append(' ').Append(line.Source).Append(' ').Append(line.Line).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
