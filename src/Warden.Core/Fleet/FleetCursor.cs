using System.Globalization;
using System.Text;
using Warden.Core.Ports;

namespace Warden.Core.Fleet;

/// <summary>
/// Where this node reads the fleet's log on from, and the highest sequence number seen of each
/// origin: kept in the state store as the checkpoint of <see cref="SourceId"/>, committed with
/// the bans the entries made, so after a restart the node resumes where it stopped and an old
/// entry written again is still a replay. Immutable.
/// </summary>
/// <param name="Position">The bus position (<see cref="FleetRead.Position"/>); <c>null</c> before the first read, which starts from the snapshot.</param>
/// <param name="Watermarks">The highest sequence number applied of each origin.</param>
public sealed record FleetCursor(string? Position, IReadOnlyDictionary<string, long> Watermarks)
{
    /// <summary>The checkpoint id the cursor is stored under (no log source has this id: theirs are <c>file:</c>, <c>journal:</c> ...).</summary>
    public const string SourceId = "fleet";

    private const string Header = "fleet-cursor-1";
    private const int MaxOrigins = 4096;

    /// <summary>No cursor yet: read from the snapshot.</summary>
    public static FleetCursor None { get; } = new(null, new Dictionary<string, long>());

    /// <summary>The cursor as a checkpoint.</summary>
    public SourceCheckpoint ToCheckpoint()
    {
        var text = new StringBuilder(Header).Append('\n').Append(Position ?? "-");
        foreach (var (origin, seq) in Watermarks.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            text.Append('\n').Append(origin).Append(' ').Append(seq.ToString(CultureInfo.InvariantCulture));
        }

        return new SourceCheckpoint(SourceId, text.ToString());
    }

    /// <summary>Reads a stored cursor; one that does not parse is <see cref="None"/> (the node resyncs from the snapshot).</summary>
    /// <param name="token">The stored token; <c>null</c> when there is none.</param>
    public static FleetCursor Parse(string? token)
    {
        var lines = token?.Split('\n');
        if (lines is null || lines.Length < 2 || lines[0] != Header || lines.Length > MaxOrigins + 2)
        {
            return None;
        }

        var watermarks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(2))
        {
            var parts = line.Split(' ');
            if (parts.Length != 2 || !DecisionText.IsName(parts[0]) || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                return None;
            }

            watermarks[parts[0]] = seq;
        }

        return new FleetCursor(lines[1] == "-" ? null : lines[1], watermarks);
    }
}
