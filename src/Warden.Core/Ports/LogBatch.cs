namespace Warden.Core.Ports;

/// <summary>Consecutive complete lines of one source and the checkpoint just after the last one.</summary>
/// <param name="Lines">Lines without their newline; over-long lines arrive cut to the source's limit.</param>
/// <param name="Checkpoint">Opaque token that resumes reading after the last line.</param>
public sealed record LogBatch(IReadOnlyList<string> Lines, string Checkpoint)
{
    /// <summary>Lines in this batch that were longer than the limit and were cut.</summary>
    public int Overlong { get; init; }

    /// <summary>
    /// Places found since the last batch where data the source had not read yet is gone (a saved
    /// position's file deleted or compressed away, an unread generation rewritten in place). The
    /// source logs each with its file; how many lines were there is unknowable, so this counts
    /// the gaps, not lines.
    /// </summary>
    public int Lost { get; init; }
}
