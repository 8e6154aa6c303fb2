namespace Warden.Web;

/// <summary>The daemon refused a request, or could not be reached (<see cref="StatusCode"/> 0).</summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ApiException(string message, int statusCode, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status, or 0 when no answer came.</summary>
    public int StatusCode { get; }
}
