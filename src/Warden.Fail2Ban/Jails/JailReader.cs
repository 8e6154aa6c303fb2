using System.Globalization;
using Warden.Core.Addresses;
using Warden.Core.Jails;

namespace Warden.Fail2Ban.Jails;

/// <summary>Reads and validates one jail section; collects located errors instead of throwing.</summary>
internal sealed class JailReader(LayeredIni ini, string name, List<ConfigError> errors, List<ConfigError> warnings)
{
    private bool _failed;

    public JailDefinition? Read()
    {
        var section = ini.Section(name)!;
        var here = new ConfigError(section.File, section.Line, string.Empty);
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
        var ignore = Ignore();
        var ports = Ports();
        var protocol = (Get("protocol") ?? "tcp").Trim().ToLowerInvariant();
        if (protocol is not ("tcp" or "udp" or "sctp" or "dccp" or "all"))
        {
            Fail("protocol", $"protocol must be tcp, udp, sctp, dccp or all, not '{protocol}'");
        }

        var backend = (Get("backend") ?? "auto").Trim();
        var filter = (Get("filter") ?? name).Trim();
        var logPaths = LogPaths();
        if (logPaths.Count == 0 && !backend.StartsWith("systemd", StringComparison.Ordinal))
        {
            Fail(null, $"jail '{name}' has no logpath");
        }

        if (_failed)
        {
            return null;
        }

        var policy = new JailPolicy(name, maxRetry, findTime, banTime, ignore) { Ports = ports, Protocol = protocol };
        return new JailDefinition(policy, filter, Where("filter") ?? here, logPaths, Where("logpath") ?? here, backend);
    }

    private string? Get(string key)
    {
        try
        {
            return ini.Get(name, key);
        }
        catch (ConfigException ex)
        {
            errors.Add(ex.Error);
            _failed = true;
            return null;
        }
    }

    private ConfigError? Where(string key) =>
        ini.Raw(name, key) is { } raw ? new ConfigError(raw.File, raw.Line, string.Empty) : null;

    private void Fail(string? key, string message)
    {
        var where = key is null ? null : Where(key);
        var section = ini.Section(name)!;
        errors.Add(new ConfigError(where?.File ?? section.File, where?.Line ?? section.Line, $"[{name}] {message}"));
        _failed = true;
    }

    private int Int(string key, int fallback)
    {
        var text = Get(key);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            Fail(key, $"{key} must be a whole number of at least 1, not '{text.Trim()}'");
            return fallback;
        }

        return value;
    }

    private TimeSpan Time(string key, string fallback)
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

    private AddressSet Ignore()
    {
        var text = Get("ignoreip");
        if (string.IsNullOrWhiteSpace(text))
        {
            return AddressSet.Empty;
        }

        var networks = new List<System.Net.IPNetwork>();
        foreach (var item in text.Split([' ', ',', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (AddressParsing.TryParseNetwork(item, out var network))
            {
                networks.Add(network);
            }
            else
            {
                Fail("ignoreip", $"ignoreip: '{item}' is not an address or network (CIDR)");
            }
        }

        return new AddressSet(networks);
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
                // fail2ban accepts "PATH tail" / "PATH head" (where to start reading); Warden's
                // start position comes from its checkpoints instead.
                if (item is "tail" or "head")
                {
                    continue;
                }

                paths.Add(item);
                CheckReadable(item);
            }
        }

        return paths;
    }

    private void CheckReadable(string path)
    {
        if (path.AsSpan().IndexOfAny('*', '?', '[') >= 0)
        {
            var dir = Path.GetDirectoryName(path) ?? "/";
            var pattern = Path.GetFileName(path);
            if (!Directory.Exists(dir) || Directory.GetFiles(dir, pattern).Length == 0)
            {
                var where = Where("logpath")!;
                warnings.Add(new ConfigError(where.File, where.Line, $"[{name}] logpath '{path}' matches no file yet; files that appear are read"));
            }

            return;
        }

        if (Directory.Exists(path))
        {
            Fail("logpath", $"logpath '{path}' is a directory, not a log file");
            return;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // A log that appears later (a service not started yet) is read when it does.
            var where = Where("logpath")!;
            warnings.Add(new ConfigError(where.File, where.Line, $"[{name}] logpath '{path}' does not exist yet; it is read once it appears"));
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
