namespace Warden.Fail2Ban.Config;

/// <summary>
/// Where configuration files come from: a directory on disk, the filters embedded in Warden, or
/// several of them layered. Paths are relative to the configuration root with '/' separators
/// (<c>filter.d/sshd.conf</c>); an absolute path names a file on disk directly. Implementations
/// are immutable and thread-safe.
/// </summary>
public interface IConfigFiles
{
    /// <summary>True when the file exists (and is a file, not a directory).</summary>
    bool Exists(string path);

    /// <summary>Reads a file; <c>null</c> when it does not exist.</summary>
    /// <exception cref="ConfigException">The file exists but cannot be read.</exception>
    ConfigText? Read(string path);

    /// <summary>
    /// The files directly in <paramref name="directory"/> whose name ends with
    /// <paramref name="suffix"/>, as paths in the same form as the directory, sorted ordinally
    /// (Python's <c>sorted(glob(...))</c>, which fail2ban uses for <c>NAME.d/*.conf</c>).
    /// </summary>
    IReadOnlyList<string> List(string directory, string suffix);
}
