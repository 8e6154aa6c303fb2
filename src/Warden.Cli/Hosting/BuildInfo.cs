using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Warden.Cli.Commands;

namespace Warden.Cli.Hosting;

/// <summary>
/// <c>warden_build_info{version, runtime, aot} 1</c>: the usual Prometheus idiom for which build
/// runs, to join with other series or alert on a fleet running mixed versions.
/// </summary>
internal static class BuildInfo
{
    /// <summary>The meter of the daemon host.</summary>
    public const string MeterName = "Warden.Cli";

    private static readonly Meter Meter = new(MeterName);

    private static ObservableGauge<int>? _gauge;

    /// <summary>Publishes the gauge (once; later calls do nothing). Not thread-safe: called at start.</summary>
    public static void Publish()
    {
        if (_gauge is not null)
        {
            return;
        }

        KeyValuePair<string, object?>[] tags =
        [
            new("version", VersionCommand.Version()),
            new("runtime", RuntimeInformation.FrameworkDescription),
            new("aot", RuntimeFeature.IsDynamicCodeSupported ? "false" : "true"),
        ];
        _gauge = Meter.CreateObservableGauge("build_info", () => new Measurement<int>(1, tags), description: "The running build: version, .NET runtime, Native AOT or JIT");
    }
}
