namespace Warden.Core.Fleet;

/// <summary>
/// A decision as it travels: the text fields exactly as written (so the signature is checked over
/// the very bytes the origin signed, not over a re-formatting), the decision they parse to, and
/// the signature. Immutable.
/// </summary>
/// <param name="Decision">The parsed decision.</param>
/// <param name="Fields">The signed fields, name and value, in <see cref="DecisionText.SignedFields"/> order.</param>
/// <param name="Signature">Base64 of the origin's ECDSA P-256 signature (IEEE P1363) over <see cref="DecisionText.Canonical"/>; empty when unsigned.</param>
public sealed record FleetEntry(FleetDecision Decision, IReadOnlyList<KeyValuePair<string, string>> Fields, string Signature)
{
    /// <summary>The fields to write, the signature last.</summary>
    public IEnumerable<KeyValuePair<string, string>> WireFields =>
        Fields.Append(new KeyValuePair<string, string>(DecisionText.SignatureField, Signature));

    /// <summary>The decision's key in the snapshot of decisions in force: one per origin, jail and target.</summary>
    public string SnapshotKey => DecisionText.SnapshotKey(Decision);
}
