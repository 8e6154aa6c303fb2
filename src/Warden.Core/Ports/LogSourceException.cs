namespace Warden.Core.Ports;

/// <summary>A log source cannot be read: carries which one and why.</summary>
public sealed class LogSourceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LogSourceException(string sourceId, string message, Exception? inner = null)
        : base($"{sourceId}: {message}", inner)
    {
        SourceId = sourceId;
    }

    /// <summary>The source's id.</summary>
    public string SourceId { get; }
}
