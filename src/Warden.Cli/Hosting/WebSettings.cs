using System.Net;

namespace Warden.Cli.Hosting;

/// <summary>The HTTP listener (<c>[web]</c> in warden.conf); off unless <c>listen</c> is set.</summary>
internal sealed record WebSettings
{
    /// <summary>Where the token is kept when <c>token_file</c> is not set.</summary>
    public const string DefaultTokenFile = "/var/lib/warden/web.token";

    /// <summary><c>listen = 127.0.0.1:9191</c>.</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary><c>token_file</c>: the bearer token, created (random, mode 0600) when missing.</summary>
    public string TokenFile { get; init; } = DefaultTokenFile;

    /// <summary><c>metrics_auth = false</c> opens /metrics without the token (loopback only).</summary>
    public bool MetricsAuth { get; init; } = true;

    /// <summary><c>allow_changes = true</c>: the dashboard may ban and unban (each change CSRF-protected).</summary>
    public bool AllowChanges { get; init; }
}
