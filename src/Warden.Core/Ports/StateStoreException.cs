namespace Warden.Core.Ports;

/// <summary>The state store could not read or write: carries the store's location.</summary>
public sealed class StateStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StateStoreException(string location, string message, Exception? inner = null)
        : base($"{location}: {message}", inner)
    {
        Location = location;
    }

    /// <summary>Where the store is (a file path).</summary>
    public string Location { get; }

    /// <summary>
    /// True when the store found its file deleted or replaced while running and has recreated it:
    /// nothing of the failed commit was written, and what the store held before is gone, so the
    /// caller's next commit must carry its whole state (bans in force, counted failures, checkpoints).
    /// </summary>
    public bool Lost { get; init; }
}
