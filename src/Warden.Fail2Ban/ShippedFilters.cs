using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban;

/// <summary>
/// The filters Warden ships (Shipped/filter.d, written for Warden from each daemon's log formats),
/// compiled into the assembly so Warden stays one file. Read-only, thread-safe.
/// </summary>
public static class ShippedFilters
{
    private const string Prefix = "Warden.Fail2Ban.Shipped/";

    /// <summary>The shipped configuration root (it holds <c>filter.d/</c>).</summary>
    public static IConfigFiles Files { get; } = new EmbeddedConfigFiles(typeof(ShippedFilters).Assembly, Prefix);

    /// <summary>Names of the shipped filters (without .conf), sorted.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        .. Files.List("filter.d", ".conf")
            .Select(p => p["filter.d/".Length..^".conf".Length])
            .Where(n => !n.StartsWith("warden-", StringComparison.Ordinal)),
    ];
}
