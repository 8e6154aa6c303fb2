using System.Net.Http.Json;
using System.Net.Sockets;
using Warden.Web.Api;

namespace Warden.Web;

/// <summary>
/// The CLI's side of the admin API: HTTP over the daemon's unix socket. Thread-safe; one instance
/// per command is enough. Every method throws <see cref="ApiException"/> with the daemon's words
/// when the daemon says no, and when it cannot be reached.
/// </summary>
public sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _socket;

    /// <summary>Creates a client for the daemon listening on <paramref name="socket"/>.</summary>
    public ApiClient(string socket)
    {
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await unix.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                    return new NetworkStream(unix, ownsSocket: true);
                }
                catch
                {
                    unix.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://warden/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The daemon's counters.</summary>
    public Task<StatusDto> StatusAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/status"), ApiJsonContext.Default.StatusDto, cancellationToken);

    /// <summary>Asks the daemon to read its configuration again; answers once it runs the new one or refused it.</summary>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/reload"), ApiJsonContext.Default.ReloadResult, cancellationToken);

    /// <summary>The bans in force.</summary>
    public Task<BanDto[]> BansAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/bans"), ApiJsonContext.Default.BanDtoArray, cancellationToken);

    /// <summary>Every recorded ban of an address or network, with evidence, and its failures counted now.</summary>
    public Task<ShowDto> ShowAsync(string target, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/show/" + target), ApiJsonContext.Default.ShowDto, cancellationToken);

    /// <summary>Bans a target in a jail.</summary>
    public Task<BanDto> BanAsync(BanRequest request, CancellationToken cancellationToken) =>
        SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "api/bans") { Content = JsonContent.Create(request, ApiJsonContext.Default.BanRequest) },
            ApiJsonContext.Default.BanDto,
            cancellationToken);

    /// <summary>Lifts every ban touching a target.</summary>
    public Task<UnbanResult> UnbanAsync(string target, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, "api/bans/" + target), ApiJsonContext.Default.UnbanResult, cancellationToken);

    /// <summary>Lifts every ban.</summary>
    public Task<UnbanResult> UnbanAllAsync(CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, "api/bans"), ApiJsonContext.Default.UnbanResult, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>True when something accepts connections on the socket.</summary>
    internal static bool IsListening(string socket)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException or null)
            {
                throw new ApiException($"cannot reach the Warden daemon at {_socket} ({ex.InnerException?.Message ?? ex.Message}); is 'warden run' running, and may you use its socket?", 0, ex);
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    var error = await ReadErrorAsync(response, cancellationToken);
                    throw new ApiException(error, (int)response.StatusCode);
                }

                return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                    ?? throw new ApiException("the daemon sent an empty answer", (int)response.StatusCode);
            }
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync(ApiJsonContext.Default.ApiError, cancellationToken);
            return error?.Error ?? response.StatusCode.ToString();
        }
        catch (System.Text.Json.JsonException)
        {
            return $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
    }
}
