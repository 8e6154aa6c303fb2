using Warden.Linux;

namespace Warden.Fail2Ban.Config;

/// <summary>
/// What a configuration or log path must be before Warden opens it: a regular file. Opening a
/// FIFO blocks until a writer comes (check and run hung on one) and a device may never end
/// (<c>before = /dev/zero</c> grew to 4 GB), so the path is looked at with statx(2) first.
/// Configuration files also have a size limit.
/// </summary>
public static class SpecialFiles
{
    /// <summary>The largest configuration file read (fail2ban's biggest, jail.conf, is about 25 KB).</summary>
    public const long MaxConfigBytes = 4 << 20;

    /// <summary>Why <paramref name="path"/> cannot be read as a log; <c>null</c> when it is a regular file or absent.</summary>
    /// <param name="path">A logpath entry.</param>
    public static string? LogProblem(string path)
    {
        var stat = TryStat(path, out var error);
        if (error is not null)
        {
            return error;
        }

        return stat is { } s && s.Kind is not (FileKind.Regular or FileKind.Directory)
            ? $"'{path}' is {FileStat.Describe(s.Kind)}, not a log file: reading it could block for ever (for a program's output use logcommand)"
            : null;
    }

    /// <summary>Why <paramref name="path"/> cannot be read as a configuration file; <c>null</c> when it can (or is absent).</summary>
    /// <param name="path">A configuration file.</param>
    public static string? ConfigProblem(string path)
    {
        var stat = TryStat(path, out var error);
        if (error is not null || stat is not { } s)
        {
            return error;
        }

        if (s.Kind != FileKind.Regular)
        {
            return $"is {FileStat.Describe(s.Kind)}, not a configuration file";
        }

        return s.Size > MaxConfigBytes
            ? $"is {s.Size / 1048576.0:F1} MiB, more than the {MaxConfigBytes >> 20} MiB a configuration file may have"
            : null;
    }

    // /dev/null is a device that reads empty at once: jails use it as a placeholder log.
    private static FileStat? TryStat(string path, out string? error)
    {
        error = null;
        if (path == "/dev/null")
        {
            return null;
        }

        try
        {
            return FileStat.Of(path);
        }
        catch (IOException ex)
        {
            error = ex.Message;
            return null;
        }
    }
}
