namespace Warden.Fleet.Redis;

/// <summary>Checks a <c>redis = </c> setting: <c>redis://HOST[:PORT]</c> or <c>rediss://HOST[:PORT]</c> (TLS), no path, no credentials in the URL.</summary>
public static class RedisUrl
{
    /// <summary>The default Redis port.</summary>
    public const int DefaultPort = 6379;

    /// <summary>Parses the setting; says what is wrong when it cannot.</summary>
    public static bool TryParse(string text, out Uri? url, out string? error)
    {
        url = null;
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("redis" or "rediss"))
        {
            error = $"'{text}' is not redis://HOST:PORT or rediss://HOST:PORT";
            return false;
        }

        if (parsed.UserInfo.Length > 0)
        {
            error = "credentials do not belong in the URL: use user = and password_file =";
            return false;
        }

        if (parsed.AbsolutePath is not ("" or "/") || parsed.Query.Length > 0)
        {
            error = $"'{text}' has a path or query; only redis://HOST:PORT is understood";
            return false;
        }

        url = parsed;
        error = null;
        return true;
    }

    /// <summary>The port, 6379 when the URL gives none.</summary>
    public static int Port(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsDefaultPort || url.Port < 0 ? DefaultPort : url.Port;
    }
}
