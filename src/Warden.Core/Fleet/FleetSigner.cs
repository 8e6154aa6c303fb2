using System.Security.Cryptography;

namespace Warden.Core.Fleet;

/// <summary>
/// Turns this node's own decisions into signed entries, with strictly increasing sequence
/// numbers. The sequence is the larger of the last one plus one and the issue time in Unix
/// microseconds, so it keeps increasing across restarts without being stored (as long as the
/// clock does not go back by more than the time between two restarts). Not thread-safe: one
/// caller at a time (the fleet loop). Owns <paramref name="key"/> and disposes it.
/// </summary>
public sealed class FleetSigner(string node, ECDsa key) : IDisposable
{
    private long _last;

    /// <summary>This node's name.</summary>
    public string Node { get; } = DecisionText.IsName(node) ? node : throw new ArgumentException($"fleet node name '{node}' must be 1-64 letters, digits, '.', '_' or '-'", nameof(node));

    /// <summary>The next sequence number for a decision issued at <paramref name="issued"/>.</summary>
    public long NextSequence(DateTimeOffset issued)
    {
        var micros = (issued.ToUnixTimeMilliseconds() * 1000) + (issued.Ticks / 10 % 1000);
        _last = Math.Max(_last + 1, micros);
        return _last;
    }

    /// <summary>Signs a decision of this node (its origin must be <see cref="Node"/>).</summary>
    public FleetEntry Sign(FleetDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Origin != Node)
        {
            throw new ArgumentException($"node {Node} cannot sign a decision of {decision.Origin}", nameof(decision));
        }

        var fields = DecisionText.Format(decision);
        var signature = key.SignData(DecisionText.Canonical(fields), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        // Parsed back from its own text so the entry holds exactly what receivers will see.
        if (!DecisionText.TryParse([.. fields, new(DecisionText.SignatureField, Convert.ToBase64String(signature))], out var entry, out var error))
        {
            throw new InvalidOperationException($"own decision does not parse: {error}");
        }

        return entry;
    }

    /// <inheritdoc />
    public void Dispose() => key.Dispose();
}
