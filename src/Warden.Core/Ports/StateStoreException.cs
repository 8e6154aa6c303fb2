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
}
