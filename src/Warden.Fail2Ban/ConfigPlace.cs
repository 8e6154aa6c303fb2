namespace Warden.Fail2Ban;

/// <summary>Where something was written in the configuration, for errors found after it was read.</summary>
/// <param name="File">The file (as given, usually absolute), or a section name when no file is known.</param>
/// <param name="Line">1-based line number, or 0 for the file as a whole.</param>
public readonly record struct ConfigPlace(string File, int Line)
{
    /// <summary>A problem found here.</summary>
    /// <param name="message">What is wrong, in words an admin can act on.</param>
    public ConfigError Error(string message) => new(File, Line, message);

    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
