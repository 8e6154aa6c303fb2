using Warden.Cli.Hosting;
using Warden.Fail2Ban;
using Warden.TestKit;

namespace Warden.Cli.Tests;

/// <summary>Reads a warden.conf written to a temporary directory, as the daemon reads its own.</summary>
internal static class WardenConf
{
    public static (WardenSettings Settings, List<ConfigError> Errors, List<ConfigError> Warnings) Read(string text) => Read(text, out _);

    public static (WardenSettings Settings, List<ConfigError> Errors, List<ConfigError> Warnings) Read(string text, out string path)
    {
        using var dir = new TempDirectory();
        path = dir.Write(WardenSettingsReader.FileName, text);
        var errors = new List<ConfigError>();
        var warnings = new List<ConfigError>();
        var settings = WardenSettingsReader.Read(dir.Path, errors, warnings);
        return (settings, errors, warnings);
    }
}
