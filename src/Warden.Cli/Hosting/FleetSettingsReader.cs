using System.Globalization;
using Warden.Core.Fleet;
using Warden.Fail2Ban;
using Warden.Fail2Ban.Ini;
using Warden.Fail2Ban.Jails;
using Warden.Fleet.Redis;

namespace Warden.Cli.Hosting;

/// <summary>
/// Reads the <c>[fleet]</c> section of warden.conf. Each bad value is an error naming its file
/// and line; a section without <c>redis</c>, <c>node</c>, <c>key_file</c> or <c>peers_dir</c> is
/// an error at its header. With any error the fleet is off and the rest of the daemon runs.
/// </summary>
internal static class FleetSettingsReader
{
    public const string Section = "fleet";

    public static FleetSettings? Read(IniSection section, List<ConfigError> errors, List<ConfigError> warnings)
    {
        ArgumentNullException.ThrowIfNull(section);
        var before = errors.Count;
        Uri? redis = null;
        string? node = null, keyFile = null, peersDir = null, user = null, passwordFile = null;
        IReadOnlySet<string>? share = null, accept = null;
        var defaults = new FleetSettings { Redis = null!, Node = "", KeyFile = "", PeersDir = "", Place = default };
        var (prefix4, prefix6, maxBanTime, republish, queue) = (defaults.MaxPrefix4, defaults.MaxPrefix6, defaults.MaxBanTime, defaults.Republish, defaults.Queue);
        foreach (var key in section.Keys)
        {
            var value = section[key]!;
            var text = value.Text.Trim();
            void Error(string message) => errors.Add(new ConfigError(value.File, value.Line, $"[fleet] {key}: {message}"));
            switch (key)
            {
                case "redis":
                    if (RedisUrl.TryParse(text, out var url, out var urlError))
                    {
                        redis = url;
                    }
                    else
                    {
                        Error(urlError!);
                    }

                    break;
                case "node":
                    node = DecisionText.IsName(text) ? text : Fail(Error, $"'{text}' is not a node name (1-64 letters, digits, '.', '_' or '-')");
                    break;
                case "user":
                    user = text.Length > 0 && !text.Any(char.IsWhiteSpace) ? text : Fail(Error, $"'{text}' is not a Redis user name");
                    break;
                case "password_file":
                    passwordFile = AbsolutePath(text, Error);
                    break;
                case "key_file":
                    keyFile = AbsolutePath(text, Error);
                    break;
                case "peers_dir":
                    peersDir = AbsolutePath(text, Error);
                    break;
                case "share":
                    share = Jails(text, Error);
                    break;
                case "accept":
                    accept = Jails(text, Error);
                    break;
                case "max_prefix4":
                    prefix4 = Prefix(text, 32, Error) ?? prefix4;
                    break;
                case "max_prefix6":
                    prefix6 = Prefix(text, 128, Error) ?? prefix6;
                    break;
                case "max_bantime":
                    maxBanTime = Positive(text, Error) ?? maxBanTime;
                    break;
                case "republish":
                    republish = Positive(text, Error) ?? republish;
                    break;
                case "queue":
                    if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var q) && q > 0)
                    {
                        queue = q;
                    }
                    else
                    {
                        Error($"'{text}' is not a positive number of decisions");
                    }

                    break;
                default:
                    warnings.Add(new ConfigError(value.File, value.Line, $"unknown setting [fleet] {key}; ignored"));
                    break;
            }
        }

        var missing = new[] { ("redis", redis is null), ("node", node is null), ("key_file", keyFile is null), ("peers_dir", peersDir is null) }
            .Where(m => m.Item2 && !section.Contains(m.Item1)).Select(m => m.Item1).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new ConfigError(section.File, section.Line, $"[fleet] needs {string.Join(", ", missing)}; ban sharing is off"));
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new FleetSettings
        {
            Redis = redis!,
            Node = node!,
            KeyFile = keyFile!,
            PeersDir = peersDir!,
            Place = new ConfigPlace(section.File, section.Line),
            User = user,
            PasswordFile = passwordFile,
            Share = share,
            Accept = accept,
            MaxPrefix4 = prefix4,
            MaxPrefix6 = prefix6,
            MaxBanTime = maxBanTime,
            Republish = republish,
            Queue = queue,
        };
    }

    private static string? Fail(Action<string> error, string message)
    {
        error(message);
        return null;
    }

    private static string? AbsolutePath(string text, Action<string> error) =>
        Path.IsPathRooted(text) ? text : Fail(error, $"must be an absolute path, not '{text}'");

    // "all" (or "*") is every jail; otherwise names separated by spaces or commas, possibly none.
    private static HashSet<string>? Jails(string text, Action<string> error)
    {
        var names = text.Split([' ', ',', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (names is ["all"] or ["*"])
        {
            return null;
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (DecisionText.IsName(name))
            {
                set.Add(name);
            }
            else
            {
                error($"'{name}' is not a jail name");
            }
        }

        return set;
    }

    private static int? Prefix(string text, int max, Action<string> error)
    {
        if (int.TryParse(text.TrimStart('/'), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) && prefix >= 1 && prefix <= max)
        {
            return prefix;
        }

        error($"'{text}' is not a prefix length from 1 to {max}");
        return null;
    }

    private static TimeSpan? Positive(string text, Action<string> error)
    {
        if (!Duration.TryParse(text, out var duration, out var message))
        {
            error(message!);
            return null;
        }

        if (duration <= TimeSpan.Zero)
        {
            error($"'{text}' must be longer than zero");
            return null;
        }

        return duration;
    }
}
