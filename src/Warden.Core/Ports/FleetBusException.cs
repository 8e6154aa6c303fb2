namespace Warden.Core.Ports;

/// <summary>The fleet bus could not be reached or refused a command; says which and why.</summary>
public sealed class FleetBusException : Exception
{
    public FleetBusException()
    {
    }

    public FleetBusException(string message)
        : base(message)
    {
    }

    public FleetBusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
