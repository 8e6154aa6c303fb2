using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Warden.Web.Http;

/// <summary>
/// The one access check of the HTTP listener, before every endpoint (metrics now, the dashboard
/// later): a request passes with <c>Authorization: Bearer TOKEN</c> (RFC 6750, section 2.1) or
/// the cookie <see cref="CookieName"/>; anything else is answered 401 with
/// <c>WWW-Authenticate: Bearer</c>. Opening <c>/?token=TOKEN</c> once sets the cookie (HttpOnly,
/// SameSite=Strict, so no script and no other site's request carries it) and redirects to
/// <c>/</c>, so the token leaves the address bar and the browser history. With
/// <see cref="WebOptions.MetricsAuth"/> off, <c>/metrics</c> alone is open. Tokens are compared
/// in constant time.
/// </summary>
internal sealed class TokenAuthentication(WebOptions options)
{
    /// <summary>The cookie the dashboard is reached with after <c>/?token=</c>.</summary>
    public const string CookieName = "warden_token";

    private readonly byte[] _token = Encoding.UTF8.GetBytes(options.Token);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.Path == "/" && request.Query.TryGetValue("token", out var offered))
        {
            if (!Matches(offered.ToString()))
            {
                Refuse(context);
                return;
            }

            context.Response.Headers.SetCookie = $"{CookieName}={options.Token}; Path=/; HttpOnly; SameSite=Strict";
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Redirect("/");
            return;
        }

        if (Authorized(request) || (!options.MetricsAuth && request.Path == "/metrics"))
        {
            await next(context);
            return;
        }

        Refuse(context);
    }

    private bool Authorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(header[7..].Trim()))
        {
            return true;
        }

        return request.Cookies.TryGetValue(CookieName, out var cookie) && Matches(cookie);
    }

    private bool Matches(string? offered) =>
        offered is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(offered), _token);

    private static void Refuse(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
    }
}
