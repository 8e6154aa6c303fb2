using System.Net;
using Warden.Fail2Ban;
using Warden.Fail2Ban.Ini;

namespace Warden.Cli.Hosting;

/// <summary>
/// Reads the <c>[web]</c> section of warden.conf. Each bad value is an error naming its file and
/// line, and the daemon refuses to start on it: a listener that came up other than configured
/// could serve metrics to whoever asks. <c>metrics_auth = false</c> on an address that is not
/// loopback is such an error.
/// </summary>
internal static class WebSettingsReader
{
    public const string Section = "web";

    /// <summary>The settings; <c>null</c> when the section has no <c>listen</c> or an error (added to <paramref name="errors"/>).</summary>
    public static WebSettings? Read(IniSection section, List<ConfigError> errors, List<ConfigError> warnings)
    {
        ArgumentNullException.ThrowIfNull(section);
        var before = errors.Count;
        IPEndPoint? listen = null;
        string? tokenFile = null;
        bool? metricsAuth = null;
        IniValue? metricsAuthAt = null;
        var allowChanges = false;
        foreach (var key in section.Keys)
        {
            var value = section[key]!;
            var text = value.Text.Trim();
            void Error(string message) => errors.Add(new ConfigError(value.File, value.Line, $"[web] {key}: {message}"));
            switch (key)
            {
                case "listen":
                    // An address and a port: 127.0.0.1:9191, [::1]:9191.
                    if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port > 0 && text.Contains(':', StringComparison.Ordinal)
                        && (endpoint.Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || text.StartsWith('[')))
                    {
                        listen = endpoint;
                    }
                    else
                    {
                        Error($"'{Shorten(text)}' is not ADDRESS:PORT (127.0.0.1:9191, [::1]:9191)");
                    }

                    break;
                case "token_file":
                    if (Path.IsPathRooted(text))
                    {
                        tokenFile = text;
                    }
                    else
                    {
                        Error($"must be an absolute path, not '{Shorten(text)}'");
                    }

                    break;
                case "metrics_auth":
                    metricsAuthAt = value;
                    metricsAuth = WardenSettingsReader.Bool(text, Error);
                    break;
                case "allow_changes":
                    allowChanges = WardenSettingsReader.Bool(text, Error) ?? allowChanges;
                    break;
                default:
                    warnings.Add(new ConfigError(value.File, value.Line, $"unknown setting [web] {key}; ignored"));
                    break;
            }
        }

        if (metricsAuth == false && listen is not null && !IPAddress.IsLoopback(listen.Address))
        {
            errors.Add(new ConfigError(metricsAuthAt!.File, metricsAuthAt.Line, $"[web] metrics_auth = false opens /metrics to anyone who can reach {listen}; it is only allowed on a loopback address (127.0.0.1, ::1)"));
        }

        if (listen is null && errors.Count == before && section.Keys.Count > 0)
        {
            warnings.Add(new ConfigError(section.File, section.Line, "[web] has no listen: the HTTP listener is off"));
        }

        return errors.Count > before || listen is null
            ? null
            : new WebSettings { Listen = listen, TokenFile = tokenFile ?? WebSettings.DefaultTokenFile, MetricsAuth = metricsAuth ?? true, AllowChanges = allowChanges };
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "..." : text;
}
