using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// Reads a jail's <c>backend</c> (fail2ban's <c>NAME[option=value, ...]</c>, client/jailreader.py
/// and server/filtersystemd.py _getJournalArgs), Warden's <c>journalpath</c>/<c>journalfiles</c>
/// jail options, and <c>logcommand</c>.
/// </summary>
internal sealed class SourceReader(JailReader jail)
{
    // In the order of LogSourceKind.
    private static readonly string[] Kinds = ["auto", "pyinotify", "gamin", "polling", "systemd"];

    public (LogSourceKind Kind, JailSources Sources) Read()
    {
        var text = (jail.Get("backend") ?? "auto").Trim();
        ConfigReference backend;
        try
        {
            backend = ConfigReference.Parse(text);
        }
        catch (FormatException ex)
        {
            jail.Fail("backend", $"backend: {ex.Message}");
            return (LogSourceKind.Auto, JailSources.FilesOnly);
        }

        var index = Array.IndexOf(Kinds, backend.Name);
        if (index < 0)
        {
            jail.Fail("backend", $"backend must be one of {string.Join(", ", Kinds)}, not '{backend.Name}'");
        }

        var kind = index < 0 ? LogSourceKind.Auto : (LogSourceKind)index;

        foreach (var option in backend.Options.Keys.Where(k => k is not ("journalpath" or "journalfiles" or "journalflags")))
        {
            jail.Warn("backend", $"[{jail.Name}] backend option '{option}' is not supported by Warden; ignored");
        }

        var path = NonEmpty(backend.Options.GetValueOrDefault("journalpath")) ?? NonEmpty(jail.Get("journalpath"));
        var files = (NonEmpty(backend.Options.GetValueOrDefault("journalfiles")) ?? NonEmpty(jail.Get("journalfiles")) ?? string.Empty)
            .Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var sources = new JailSources(kind == LogSourceKind.Systemd, path, files, Command())
        {
            KindLocation = jail.Where("backend") ?? jail.Here(),
            CommandLocation = jail.Where("logcommand"),
        };
        return (kind, sources);
    }

    private List<string> Command()
    {
        var text = jail.Get("logcommand");
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        if (!CommandWords.TryParse(text, out var words, out var error))
        {
            jail.Fail("logcommand", $"logcommand: {error}");
            return [];
        }

        // Checked here so `warden check` names the line; the program is looked up on PATH as
        // execvp(3) does when it starts.
        var program = words[0];
        if (program.Contains('/', StringComparison.Ordinal) ? !File.Exists(program) : FindOnPath(program) is null)
        {
            jail.Fail("logcommand", $"logcommand: program '{program}' is not found");
        }

        return words;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
