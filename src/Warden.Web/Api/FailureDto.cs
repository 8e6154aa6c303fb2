using Warden.Core.Ports;

namespace Warden.Web.Api;

/// <summary>A failure counted toward a ban that has not happened (yet).</summary>
/// <param name="Jail">The jail counting it.</param>
/// <param name="Time">The failure's time.</param>
/// <param name="Attempts">Attempts it stands for.</param>
public sealed record FailureDto(string Jail, DateTimeOffset Time, int Attempts)
{
    /// <summary>The API view of a stored failure.</summary>
    public static FailureDto From(StoredFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new FailureDto(failure.Jail, failure.Time, failure.Attempts);
    }
}
