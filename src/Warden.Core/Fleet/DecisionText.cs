using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Warden.Core.Addresses;

namespace Warden.Core.Fleet;

/// <summary>
/// The plain-text form of a <see cref="FleetDecision"/>: named fields an admin reads with
/// <c>redis-cli XRANGE</c>, the canonical text the signature covers, and the strict parse that
/// receivers run on whatever they find in the stream (attacker-writable: anyone with write access
/// to Redis can add entries, so every field is bounded and checked). Thread-safe (stateless).
/// </summary>
public static class DecisionText
{
    /// <summary>The name of the signature field, which is not part of the signed text.</summary>
    public const string SignatureField = "sig";

    /// <summary>The signed fields, in the order the canonical text lists them.</summary>
    public static readonly IReadOnlyList<string> SignedFields =
        ["origin", "seq", "kind", "jail", "target", "issued", "expires", "reason", "evidence"];

    // A version line first, so a later format can never be confused with this one.
    private const string Header = "warden-fleet-1";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const string Never = "never";
    private const int MaxName = 64;
    private const int MaxReason = 200;
    private const int MaxEvidence = 128;
    private const int MaxSignature = 256;

    /// <summary>The fields of <paramref name="decision"/>, in <see cref="SignedFields"/> order.</summary>
    /// <exception cref="ArgumentException">A name is not 1-64 characters of letters, digits, '.', '_', '-'.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Format(FleetDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (!IsName(decision.Origin) || !IsName(decision.Jail))
        {
            throw new ArgumentException($"fleet node and jail names must be 1-{MaxName} letters, digits, '.', '_' or '-': '{decision.Origin}', '{decision.Jail}'", nameof(decision));
        }

        return
        [
            new("origin", decision.Origin),
            new("seq", decision.Sequence.ToString(CultureInfo.InvariantCulture)),
            new("kind", decision.Kind == DecisionKind.Ban ? "ban" : "unban"),
            new("jail", decision.Jail),
            new("target", AddressParsing.Format(decision.Target)),
            new("issued", Time(decision.Issued)),
            new("expires", decision.Expires is { } e ? Time(e) : Never),
            new("reason", Clean(decision.Reason, MaxReason)),
            new("evidence", decision.Evidence),
        ];
    }

    /// <summary>The text the signature covers: a version line, then one <c>name=value</c> line per signed field.</summary>
    public static byte[] Canonical(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var text = new StringBuilder(Header).Append('\n');
        foreach (var (name, value) in fields)
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The snapshot key of a decision: origin, jail and target.</summary>
    public static string SnapshotKey(FleetDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return $"{decision.Origin}|{decision.Jail}|{AddressParsing.Format(decision.Target)}";
    }

    /// <summary>An entry as one text value (<c>name=value</c> lines, the signature last), for the snapshot.</summary>
    public static string ToLines(FleetEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return string.Join('\n', entry.WireFields.Select(f => $"{f.Key}={f.Value}"));
    }

    /// <summary>Parses <see cref="ToLines"/>'s form.</summary>
    public static bool TryParseLines(string text, [NotNullWhen(true)] out FleetEntry? entry, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in text.Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                entry = null;
                error = "a line without name=value";
                return false;
            }

            fields.Add(new(line[..equals], line[(equals + 1)..]));
        }

        return TryParse(fields, out entry, out error);
    }

    /// <summary>
    /// Parses an entry's fields. Exactly the signed fields and the signature, each once, in any
    /// order; nothing else. An entry without a signature parses, with an empty one, so the
    /// receiver can count it as unsigned.
    /// </summary>
    /// <param name="fields">The entry's fields as read.</param>
    /// <param name="entry">The entry, when the fields are well-formed.</param>
    /// <param name="error">What is wrong, when they are not.</param>
    public static bool TryParse(IReadOnlyList<KeyValuePair<string, string>> fields, [NotNullWhen(true)] out FleetEntry? entry, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(fields);
        entry = null;
        var values = new string?[SignedFields.Count];
        string? signature = null;
        foreach (var (name, value) in fields)
        {
            var index = IndexOf(name);
            if (name == SignatureField)
            {
                if (signature is not null)
                {
                    error = "field 'sig' twice";
                    return false;
                }

                signature = value;
            }
            else if (index < 0)
            {
                error = $"unknown field '{Clean(name, MaxName)}'";
                return false;
            }
            else if (values[index] is not null)
            {
                error = $"field '{name}' twice";
                return false;
            }
            else
            {
                values[index] = value;
            }
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                error = $"field '{SignedFields[i]}' missing";
                return false;
            }
        }

        error = Check(values!, signature ?? "", out var decision);
        if (error is not null)
        {
            return false;
        }

        var ordered = SignedFields.Select((name, i) => new KeyValuePair<string, string>(name, values[i]!)).ToList();
        entry = new FleetEntry(decision!, ordered, signature ?? "");
        return true;
    }

    private static string? Check(string[] v, string signature, out FleetDecision? decision)
    {
        decision = null;
        if (!IsName(v[0]))
        {
            return "origin is not a node name";
        }

        if (!long.TryParse(v[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seq) || seq <= 0)
        {
            return "seq is not a positive number";
        }

        DecisionKind? kind = v[2] switch { "ban" => DecisionKind.Ban, "unban" => DecisionKind.Unban, _ => null };
        if (kind is null)
        {
            return "kind is neither ban nor unban";
        }

        if (!IsName(v[3]))
        {
            return "jail is not a jail name";
        }

        if (v[4].Length > 64 || !AddressParsing.TryParseNetwork(v[4], out var target))
        {
            return "target is not an address or network";
        }

        if (!TryTime(v[5], out var issued))
        {
            return "issued is not a UTC time";
        }

        DateTimeOffset? expires = null;
        if (v[6] != Never)
        {
            if (!TryTime(v[6], out var e))
            {
                return "expires is neither a UTC time nor 'never'";
            }

            expires = e;
        }

        if (v[7].Length > MaxReason || v[7].Any(char.IsControl))
        {
            return "reason is too long or holds control characters";
        }

        if (v[8].Length > MaxEvidence || !v[8].All(char.IsAsciiHexDigitLower))
        {
            return "evidence is not a lower-case hex digest";
        }

        if (signature.Length > MaxSignature)
        {
            return "sig is too long";
        }

        decision = new FleetDecision(v[0], seq, kind.Value, v[3], target, issued, expires, v[7], v[8]);
        return null;
    }

    private static int IndexOf(string name)
    {
        for (var i = 0; i < SignedFields.Count; i++)
        {
            if (SignedFields[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True for a node or jail name: 1-64 ASCII letters, digits, '.', '_' or '-'.</summary>
    public static bool IsName(string name) =>
        name is { Length: > 0 and <= MaxName } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static bool TryTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    private static string Clean(string text, int max)
    {
        var clean = new string([.. (text ?? "").Where(c => !char.IsControl(c))]);
        return clean.Length > max ? clean[..max] : clean;
    }
}
