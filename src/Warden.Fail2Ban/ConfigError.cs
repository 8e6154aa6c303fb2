namespace Warden.Fail2Ban;

/// <summary>A problem found in a configuration file, located to the line.</summary>
/// <param name="File">The file (as given, usually absolute).</param>
/// <param name="Line">1-based line number, or 0 when the problem is the file as a whole.</param>
/// <param name="Message">What is wrong, in words an admin can act on.</param>
public sealed record ConfigError(string File, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}: {Message}" : $"{File}: {Message}";
}
