namespace Warden.Core.Ports;

/// <summary>A firewall backend refused a change: carries what was sent and what came back.</summary>
public sealed class FirewallException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FirewallException(string backend, string command, string error, int exitCode = -1, Exception? inner = null)
        : base($"{backend}: {FirstLine(error)} (exit {exitCode})", inner)
    {
        Backend = backend;
        Command = command;
        Error = error;
        ExitCode = exitCode;
    }

    /// <summary>The backend name.</summary>
    public string Backend { get; }

    /// <summary>The command or ruleset text that was refused (possibly long).</summary>
    public string Command { get; }

    /// <summary>The error text the backend gave.</summary>
    public string Error { get; }

    /// <summary>Exit or return code.</summary>
    public int ExitCode { get; }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n');
        return newline < 0 ? text : text[..newline];
    }
}
