namespace Warden.TestKit;

/// <summary>What a finished process gave back.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Throws unless the exit code is 0, with everything needed to see why.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"'{Command}' exited {ExitCode}\nstdout: {StdOut}\nstderr: {StdErr}");
        }

        return this;
    }
}
