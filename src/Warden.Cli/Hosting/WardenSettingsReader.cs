using Warden.Core.Addresses;
using Warden.Core.Ports;
using Warden.Fail2Ban;
using Warden.Fail2Ban.Ini;

namespace Warden.Cli.Hosting;

/// <summary>
/// Reads warden.conf (same INI dialect as jail.conf) from a config directory. Every key is
/// optional; a missing file means all defaults. Unknown keys are reported as warnings, bad
/// values as errors with file and line.
/// </summary>
internal static class WardenSettingsReader
{
    public const string FileName = "warden.conf";

    public static WardenSettings Read(string? configDir, List<ConfigError> errors, List<ConfigError> warnings)
    {
        var settings = new WardenSettings();
        var path = configDir is null ? null : Path.Combine(configDir, FileName);
        if (path is null || !File.Exists(path))
        {
            return settings;
        }

        IniFile file;
        try
        {
            file = IniFile.Load(path);
        }
        catch (ConfigException ex)
        {
            errors.Add(ex.Error);
            return settings;
        }

        foreach (var section in file.Sections)
        {
            if (section.Name == FleetSettingsReader.Section)
            {
                settings = settings with { Fleet = FleetSettingsReader.Read(section, errors, warnings) };
                continue;
            }

            if (section.Name == WebSettingsReader.Section)
            {
                var before = errors.Count;
                settings = settings with { Web = WebSettingsReader.Read(section, errors, warnings), WebErrors = errors.Count - before };
                continue;
            }

            foreach (var key in section.Keys)
            {
                var value = section[key]!;
                settings = Apply(settings, section.Name, key, value, errors, warnings);
            }
        }

        return settings;
    }

    private static WardenSettings Apply(WardenSettings s, string section, string key, IniValue value, List<ConfigError> errors, List<ConfigError> warnings)
    {
        var text = value.Text.Trim();
        void Error(string message) => errors.Add(new ConfigError(value.File, value.Line, message));
        switch (section, key)
        {
            case ("warden", "firewall"):
                if (FirewallKind.Find(text) is not { } firewall)
                {
                    var unknown = new ConfigError(value.File, value.Line, $"unknown firewall backend '{(text.Length > 40 ? text[..40] + "..." : text)}' (known: {string.Join(", ", FirewallKind.All)})");
                    errors.Add(unknown);
                    return s with { UnknownFirewall = unknown };
                }

                return s with { Firewall = firewall };
            case ("warden", "state"):
                if (!Path.IsPathRooted(text))
                {
                    Error($"state must be an absolute path, not '{text}'");
                    return s;
                }

                return s with { StatePath = text };
            case ("warden", "ignoreself"):
                return Bool(text, Error) is { } ignoreSelf ? s with { IgnoreSelf = ignoreSelf } : s;
            case ("warden", "native_actions"):
                return Bool(text, Error) is { } native ? s with { NativeActions = native } : s;
            case ("warden", "flush_on_stop"):
                return Bool(text, Error) is { } flush ? s with { FlushOnStop = flush } : s;
            case ("warden", "compact_memory"):
                return Bool(text, Error) is { } compact ? s with { CompactMemory = compact } : s;
            case ("warden", "mode"):
                switch (text.ToLowerInvariant())
                {
                    case "enforce":
                        return s with { Shadow = false };
                    case "shadow":
                        return s with { Shadow = true };
                    default:
                        Error($"mode must be enforce or shadow, not '{(text.Length > 40 ? text[..40] + "..." : text)}'");
                        return s;
                }

            case ("warden", "history"):
                if (!Warden.Fail2Ban.Jails.Duration.TryParseBanTime(text, out var history, out var historyError))
                {
                    Error($"history: {historyError}");
                    return s;
                }

                return s with { History = history };
            case ("warden", "allowlist"):
                var networks = new List<System.Net.IPNetwork>();
                foreach (var item in text.Split([' ', ',', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (AddressParsing.TryParseNetwork(item, out var network))
                    {
                        networks.Add(network);
                    }
                    else
                    {
                        Error($"allowlist: '{item}' is not an address or network (CIDR)");
                    }
                }

                return s with { Allowlist = new AddressSet(networks) };
            case ("api", "socket"):
                if (!Path.IsPathRooted(text))
                {
                    Error($"socket must be an absolute path, not '{text}'");
                    return s;
                }

                return s with { ApiSocket = text };
            case ("warden", "forward_allow"):
                return s with { ForwardAllow = [.. text.Split([' ', ',', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)] };
            case ("iptables", "iptables"):
                if (text is not ("iptables" or "iptables-nft" or "iptables-legacy"))
                {
                    Error($"iptables must be iptables, iptables-nft or iptables-legacy, not '{text}'");
                    return s;
                }

                return s with { Iptables = text };
            case ("nftables" or "iptables" or "pf", "blocktype"):
                switch (text)
                {
                    case "drop":
                        return s with { BlockType = BlockType.Drop };
                    case "reject":
                        return s with { BlockType = BlockType.Reject };
                    default:
                        Error($"blocktype must be drop or reject, not '{text}'");
                        return s;
                }

            default:
                warnings.Add(new ConfigError(value.File, value.Line, $"unknown setting [{section}] {key}; ignored"));
                return s;
        }
    }

    /// <summary>A warden.conf boolean (true/yes/on/1, false/no/off/0); <c>null</c> after reporting anything else.</summary>
    internal static bool? Bool(string text, Action<string> error)
    {
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1":
                return true;
            case "false" or "no" or "off" or "0":
                return false;
            default:
                error($"expected true or false, not '{(text.Length > 60 ? text[..60] + "..." : text)}'");
                return null;
        }
    }
}
