using System.CommandLine;

namespace Warden.Cli.Commands;

/// <summary>Options several commands share, so they are spelled the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string?> ConfigDir() => new("--config-dir", "-c")
    {
        Description = "Configuration directory (fail2ban layout: jail.conf, jail.d/, filter.d/, warden.conf). Default: /etc/warden, else a built-in sshd jail",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print one JSON document instead of text (for scripts)",
    };

    public static Option<string> LogLevel() => new("--log-level")
    {
        Description = "trace, debug, info, warning or error",
        DefaultValueFactory = _ => "info",
    };
}
