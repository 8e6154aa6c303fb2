namespace Warden.Core.Ports;

/// <summary>Consecutive complete lines of one source and the checkpoint just after the last one.</summary>
/// <param name="Lines">Lines without their newline; over-long lines arrive cut to the source's limit.</param>
/// <param name="Checkpoint">Opaque token that resumes reading after the last line.</param>
public sealed record LogBatch(IReadOnlyList<string> Lines, string Checkpoint)
{
    /// <summary>Lines in this batch that were longer than the limit and were cut.</summary>
    public int Overlong { get; init; }
}
