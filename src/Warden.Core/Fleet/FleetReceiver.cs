using Warden.Core.Ports;

namespace Warden.Core.Fleet;

/// <summary>
/// Turns what the bus returned (attacker-writable text) into the verdicts to apply: each entry
/// parsed strictly (<see cref="DecisionText"/>) and judged by the <see cref="FleetPolicy"/>, which
/// counts what it drops. Not thread-safe: the fleet reader loop.
/// </summary>
public sealed class FleetReceiver(FleetPolicy policy)
{
    private readonly FleetPolicy _policy = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>The policy, with its watermarks and counters.</summary>
    public FleetPolicy Policy => _policy;

    /// <summary>The entries of a read, in log order; returns those to apply.</summary>
    /// <param name="entries">The raw entries.</param>
    /// <param name="now">The receiver's clock.</param>
    public IReadOnlyList<FleetVerdict> Judge(IReadOnlyList<FleetRawEntry> entries, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var applies = new List<FleetVerdict>();
        foreach (var raw in entries)
        {
            var verdict = DecisionText.TryParse(raw.Fields, out var entry, out _) ? _policy.Judge(entry, now) : _policy.Malformed();
            if (verdict.Applies)
            {
                applies.Add(verdict);
            }
        }

        return applies;
    }

    /// <summary>
    /// The decisions in force from a snapshot (a first start, or a resync after a gap); returns
    /// those to apply. The snapshot is unordered, so each origin's entries are judged in sequence
    /// order: otherwise a later one would raise the watermark over an earlier one, dropped as a replay.
    /// </summary>
    /// <param name="lines">The snapshot's entries (<see cref="DecisionText.ToLines"/>).</param>
    /// <param name="now">The receiver's clock.</param>
    public IReadOnlyList<FleetVerdict> JudgeSnapshot(IReadOnlyList<string> lines, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var parsed = new List<FleetEntry>(lines.Count);
        foreach (var line in lines)
        {
            if (DecisionText.TryParseLines(line, out var entry, out _))
            {
                parsed.Add(entry);
            }
            else
            {
                _policy.Malformed();
            }
        }

        var applies = new List<FleetVerdict>();
        foreach (var entry in parsed.OrderBy(e => e.Decision.Sequence))
        {
            var verdict = _policy.Judge(entry, now, resync: true);
            if (verdict.Applies)
            {
                applies.Add(verdict);
            }
        }

        return applies;
    }
}
