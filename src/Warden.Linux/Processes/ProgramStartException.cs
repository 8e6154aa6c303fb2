namespace Warden.Linux.Processes;

/// <summary>A program could not be started at all: carries which and why.</summary>
public sealed class ProgramStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The program.</param>
    /// <param name="reason">Why it did not start.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ProgramStartException(string file, string reason, Exception? inner = null)
        : base($"cannot run {file}: {reason}", inner)
    {
        File = file;
        Reason = reason;
    }

    /// <summary>The program.</summary>
    public string File { get; }

    /// <summary>Why it did not start.</summary>
    public string Reason { get; }
}
