using System.Net;
using System.Text.RegularExpressions;
using Warden.Core.Addresses;
using Warden.Core.Detections;

namespace Warden.TestKit;

/// <summary>
/// A fake <see cref="ILineFilter"/> for engine tests: a line "fail IP" (optionally "fail IP at
/// UNIXSECONDS") is a failure of IP at the clock's time (or the given time). Not fail2ban's language.
/// </summary>
public sealed partial class FakeLineFilter(TimeProvider time) : ILineFilter
{
    /// <inheritdoc />
    public void Process(string line, ICollection<Detection> detections)
    {
        ArgumentNullException.ThrowIfNull(detections);
        var match = Pattern().Match(line);
        if (!match.Success || !AddressParsing.TryParseAddress(match.Groups["ip"].Value, out var address))
        {
            return;
        }

        var when = match.Groups["at"].Success
            ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(match.Groups["at"].Value, System.Globalization.CultureInfo.InvariantCulture))
            : time.GetUtcNow();
        detections.Add(new Detection(address.ToString(), address, when, line, Detection.NoFields));
    }

    /// <summary>A failure line for <paramref name="address"/>.</summary>
    public static string Line(string address) => $"fail {IPAddress.Parse(address)}";

    [GeneratedRegex(@"^fail (?<ip>\S+)(?: at (?<at>\d+))?$")]
    private static partial Regex Pattern();
}
