namespace Warden.Web;

/// <summary>Where the admin API listens (warden.conf <c>[api]</c>).</summary>
public sealed record ApiOptions
{
    /// <summary>The default socket path.</summary>
    public const string DefaultSocket = "/run/warden/warden.sock";

    /// <summary>The unix socket; its directory is created when missing.</summary>
    public string Socket { get; init; } = DefaultSocket;

    /// <summary>Permissions of the socket: owner and group may talk to the daemon (0660).</summary>
    public UnixFileMode Mode { get; init; } = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>The version reported by <c>GET /api/status</c>.</summary>
    public string Version { get; init; } = "0.0.0";

    /// <summary>The configuration directory the daemon runs from, reported by <c>GET /api/status</c>.</summary>
    public string ConfigDirectory { get; init; } = "";

    /// <summary>The state file, reported by <c>GET /api/status</c>.</summary>
    public string StateFile { get; init; } = "";

    /// <summary>The regex engine filters run on, reported by <c>GET /api/status</c>.</summary>
    public string RegexEngine { get; init; } = "";

    /// <summary>
    /// What <c>POST /api/reload</c> does: read the configuration again and answer once the new one
    /// runs or was refused. <c>null</c>: the endpoint answers 404.
    /// </summary>
    public Func<CancellationToken, Task<Api.ReloadResult>>? Reload { get; init; }

    /// <summary>The fleet's status for <c>GET /api/status</c>; <c>null</c> without <c>[fleet]</c>.</summary>
    public Func<Core.Fleet.FleetStatus>? Fleet { get; init; }
}
