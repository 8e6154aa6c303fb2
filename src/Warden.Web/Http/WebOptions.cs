using System.Net;

namespace Warden.Web.Http;

/// <summary>The HTTP listener's settings (<c>[web]</c> in warden.conf).</summary>
public sealed record WebOptions
{
    /// <summary>The address and port to listen on; port 0 takes a free one (<see cref="WebServer.Address"/>).</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>The secret every request must carry (bearer header or cookie).</summary>
    public required string Token { get; init; }

    /// <summary>False opens <c>/metrics</c> without the token; only allowed on a loopback address.</summary>
    public bool MetricsAuth { get; init; } = true;
}
