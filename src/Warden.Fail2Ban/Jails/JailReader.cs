using System.Globalization;
using Warden.Core.Addresses;
using Warden.Core.Detections;
using Warden.Core.Jails;
using Warden.Fail2Ban.Actions;
using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban.Jails;

/// <summary>Reads and validates one jail section; collects located errors instead of throwing.</summary>
internal sealed class JailReader(LayeredConfig config, IReadOnlyDictionary<string, string> vars, string name, List<ConfigError> errors, List<ConfigError> warnings)
{
    private readonly List<string> _headPaths = [];
    private bool _failed;

    public JailDefinition? Read()
    {
        var here = Here();
        var enabled = Get("enabled") ?? "false";
        if (!TryBool(enabled, out var isEnabled))
        {
            Fail("enabled", $"enabled must be true or false, not '{enabled}'");
            return null;
        }

        if (!isEnabled)
        {
            return null;
        }

        var maxRetry = Int("maxretry", 5);
        var findTime = Time("findtime", "10m");
        var banTime = BanTime("bantime", "10m");
        var (ignore, ignoreHosts) = Ignore();
        var ports = Ports();
        var protocolText = Get("protocol") ?? "tcp";
        if (!PortProtocolNames.TryParse(protocolText, out var protocol))
        {
            Fail("protocol", $"protocol must be tcp, udp, sctp, dccp or all, not '{protocolText.Trim().ToLowerInvariant()}'");
        }

        var (logSource, sources) = new SourceReader(this).Read();
        var filter = (Get("filter") ?? name).Trim();
        var filterName = FilterName(filter);
        // fail2ban's recidive jail reads fail2ban's own log for "Ban" lines; Warden feeds it its
        // own bans first-hand (Engine: JailPolicy.CountsBans), so it needs no log file.
        var countsBans = filterName == "recidive";
        var (portScan, nflogGroup) = filterName == PortScanReader.FilterName ? new PortScanReader(this).Read() : (null, null);
        if (countsBans)
        {
            sources = JailSources.FilesOnly;
        }

        // With backend = systemd fail2ban reads the journal and ignores logpath (often inherited
        // from [DEFAULT] or Debian's paths files), so it is neither checked nor read.
        var logPaths = countsBans || sources.Journal ? [] : LogPaths();
        if (logPaths.Count == 0 && !countsBans && !sources.Journal && sources.Command.Count == 0 && nflogGroup is null)
        {
            Fail(null, $"jail '{name}' has no logpath (nor logcommand, nor backend = systemd, nor nflog)");
        }

        var maxMatches = Get("maxmatches") is null ? maxRetry : Int("maxmatches", maxRetry, minimum: 0);
        // Warden's own: log lines kept with each ban as its evidence (0 keeps none).
        var evidenceLines = Get("evidence") is null ? 10 : Int("evidence", 10, minimum: 0);
        if (evidenceLines > 1000)
        {
            Fail("evidence", $"evidence must be at most 1000 lines per ban, not {evidenceLines}");
            evidenceLines = 10;
        }
        var window = FindTimeWindow.Sliding;
        switch ((Get("findtime_window") ?? "sliding").Trim().ToLowerInvariant())
        {
            case "sliding":
                break;
            case "fail2ban":
                window = FindTimeWindow.Fail2Ban;
                break;
            case var other:
                Fail("findtime_window", $"findtime_window must be sliding or fail2ban, not '{Quote.Clip(other, 43)}'");
                break;
        }

        var useDnsText = (Get("usedns") ?? "warn").Trim().ToLowerInvariant();
        UseDns useDns;
        switch (useDnsText)
        {
            case "yes":
                useDns = UseDns.Yes;
                break;
            case "warn":
                useDns = UseDns.Warn;
                break;
            case "no":
                useDns = UseDns.No;
                break;
            case "raw":
                useDns = UseDns.Raw;
                break;
            default:
                useDns = UseDns.Warn;
                Fail("usedns", $"usedns must be yes, warn, no or raw, not '{useDnsText}'");
                break;
        }

        // Not fail2ban's "mode": that key is the filter's mode (sshd's normal/ddos/aggressive).
        var observe = Bool("observe", false);
        var ignoreSelf = Bool("ignoreself", true);
        if (!ignoreSelf)
        {
            Warn("ignoreself", $"[{name}] ignoreself = false has no effect: Warden never bans the host's own addresses");
        }

        var ignoreCommand = Get("ignorecommand") is { } command && !string.IsNullOrWhiteSpace(command) ? command.Trim() : null;
        var increment = new IncrementReader(this).Read();
        var aggregation = new AggregationReader(this).Read();
        var actions = Actions();
        if (_failed)
        {
            return null;
        }

        var policy = new JailPolicy(name, maxRetry, findTime, banTime, ignore)
        {
            Ports = ports,
            Protocol = protocol,
            Increment = increment,
            Aggregation = aggregation,
            MaxMatches = maxMatches,
            EvidenceLines = evidenceLines,
            Window = window,
            Observe = observe,
            IgnoreHosts = ignoreHosts,
            CountsBans = countsBans,
            PortScan = portScan,
        };
        return new JailDefinition(policy, filter, Where("filter") ?? here, logPaths, Where("logpath") ?? here, logSource)
        {
            Actions = actions,
            ActionLocation = Where("action") ?? here,
            IgnoreCommand = ignoreCommand,
            UseDns = useDns,
            NflogGroup = nflogGroup,
            Options = Options(),
            Sources = sources,
            HeadPaths = _headPaths,
        };
    }

    /// <summary>The jail's options as fail2ban hands them to its actions (jailreader.py _configOpts), interpolated.</summary>
    private Dictionary<string, string> Options()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in JailOptionNames)
        {
            if (Get(key) is { } value)
            {
                options[key] = value;
            }
        }

        return options;
    }

    private IReadOnlyList<ConfigReference> Actions()
    {
        var text = Get("action");
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        if (!ActionList.TryParse(text, out var actions, out var error))
        {
            Fail("action", $"action: {error}");
            return [];
        }

        return actions;
    }

    internal static string FilterName(string filter)
    {
        var bracket = filter.IndexOf('[');
        return (bracket < 0 ? filter : filter[..bracket]).Trim();
    }

    internal void Warn(string key, string message)
    {
        warnings.Add((Where(key) ?? Here()).Error(message));
    }

    internal bool Bool(string key, bool fallback)
    {
        var text = Get(key);
        if (text is null)
        {
            return fallback;
        }

        if (!TryBool(text, out var value))
        {
            Fail(key, $"{key} must be true or false, not '{text.Trim()}'");
            return fallback;
        }

        return value;
    }

    private static readonly string[] JailOptionNames =
    [
        "enabled", "backend", "maxretry", "maxmatches", "evidence", "findtime", "bantime", "bantime.increment", "bantime.factor",
        "bantime.formula", "bantime.multipliers", "bantime.maxtime", "bantime.rndtime", "bantime.overalljails",
        "ignorecommand", "ignoreself", "ignoreip", "ignorecache", "filter", "logtimezone", "logencoding", "logpath", "action",
    ];

    internal string Name => name;

    internal string? Get(string key)
    {
        try
        {
            return config.Get(name, key, vars)?.Text;
        }
        catch (ConfigException ex)
        {
            errors.Add(ex.Error);
            _failed = true;
            return null;
        }
    }

    internal ConfigPlace? Where(string key) =>
        config.GetRaw(name, key) is { } raw ? new ConfigPlace(raw.File, raw.Line) : null;

    internal ConfigPlace Here() =>
        config.SectionLocation(name) is { } at ? new ConfigPlace(at.File, at.Line) : new ConfigPlace(name, 0);

    internal void Fail(string? key, string message)
    {
        var where = (key is null ? null : Where(key)) ?? Here();
        errors.Add(where.Error($"[{name}] {message}"));
        _failed = true;
    }

    internal int Int(string key, int fallback, int minimum = 1)
    {
        var text = Get(key);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < minimum)
        {
            Fail(key, $"{key} must be a whole number of at least {minimum}, not '{text.Trim()}'");
            return fallback;
        }

        return value;
    }

    internal TimeSpan Time(string key, string fallback)
    {
        var text = Get(key) ?? fallback;
        if (!Duration.TryParse(text, out var value, out var error))
        {
            Fail(key, $"{key}: {error}");
        }

        return value;
    }

    private TimeSpan? BanTime(string key, string fallback)
    {
        var text = Get(key) ?? fallback;
        if (!Duration.TryParseBanTime(text, out var value, out var error))
        {
            Fail(key, $"{key}: {error}");
        }
        else if (value == TimeSpan.Zero)
        {
            Fail(key, $"{key} = {text.Trim()} would ban for no time: use a positive time, or -1 for a ban that never ends");
        }

        return value;
    }

    private IReadOnlyList<PortRange> Ports()
    {
        var text = Get("port");
        if (text is null)
        {
            return [];
        }

        if (!PortList.TryParse(text, out var ports, out var error))
        {
            Fail("port", $"port: {error}");
        }

        return ports;
    }

    private (AddressSet Networks, IReadOnlyList<string> Hosts) Ignore()
    {
        var text = Get("ignoreip");
        if (string.IsNullOrWhiteSpace(text))
        {
            return (AddressSet.Empty, []);
        }

        var networks = new List<System.Net.IPNetwork>();
        var hosts = new List<string>();
        foreach (var item in text.Split([' ', ',', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (AddressParsing.TryParseNetwork(item, out var network))
            {
                networks.Add(network);
            }
            else if (HostName.IsValid(item))
            {
                // fail2ban accepts DNS names in ignoreip (server/ipdns.py); the host resolves them.
                hosts.Add(item.ToLowerInvariant());
            }
            else
            {
                Fail("ignoreip", $"ignoreip: '{item}' is not an address, a network (CIDR) or a host name");
            }
        }

        return (new AddressSet(networks), hosts);
    }

    private List<string> LogPaths()
    {
        var text = Get("logpath");
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var paths = new List<string>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var item in line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                // fail2ban's "PATH tail" / "PATH head" (client/jailreader.py): where a first run
                // starts reading; tail is the default. After that the saved position decides.
                if (item is "tail" or "head")
                {
                    if (item == "head" && paths.Count > 0)
                    {
                        _headPaths.Add(paths[^1]);
                    }

                    continue;
                }

                paths.Add(item);
                if (item != "-")
                {
                    // "-" is Warden's standard input.
                    CheckReadable(item);
                }
            }
        }

        return paths;
    }

    private void CheckReadable(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            // No file name holds a NUL; the system calls would refuse it, and .NET throws.
            Fail("logpath", $"logpath '{Quote.Clip(path.Replace('\0', '?'))}' contains a NUL character");
            return;
        }

        if (path.AsSpan().IndexOfAny('*', '?', '[') >= 0)
        {
            var dir = Path.GetDirectoryName(path) ?? "/";
            var pattern = Path.GetFileName(path);
            if (!Directory.Exists(dir) || Directory.GetFiles(dir, pattern).Length == 0)
            {
                warnings.Add(Where("logpath")!.Value.Error($"[{name}] logpath '{path}' matches no file yet; files that appear are read"));
            }

            return;
        }

        if (Directory.Exists(path))
        {
            Fail("logpath", $"logpath '{path}' is a directory, not a log file");
            return;
        }

        if (Config.SpecialFiles.LogProblem(path) is { } problem)
        {
            Fail("logpath", $"logpath {problem}");
            return;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // A log that appears later (a service not started yet) is read when it does.
            warnings.Add(Where("logpath")!.Value.Error($"[{name}] logpath '{path}' does not exist yet; it is read once it appears"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Fail("logpath", $"logpath '{path}' cannot be read: {ex.Message}");
        }
    }

    private static bool TryBool(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1":
                value = true;
                return true;
            case "false" or "no" or "off" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
