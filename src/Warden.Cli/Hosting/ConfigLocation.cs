namespace Warden.Cli.Hosting;

/// <summary>
/// Where configuration comes from: the <c>--config-dir</c> given, else /etc/warden, else the
/// built-in default that protects sshd.
/// </summary>
/// <param name="Directory">The configuration directory, or <c>null</c> for the built-in default.</param>
internal sealed record ConfigLocation(string? Directory)
{
    public const string SystemDirectory = "/etc/warden";

    public bool IsBuiltIn => Directory is null;

    public override string ToString() => Directory ?? "built-in default (no /etc/warden)";

    /// <summary>Resolves the option; a given directory that does not exist is an error.</summary>
    public static ConfigLocation Resolve(string? option)
    {
        if (option is not null)
        {
            var full = Path.GetFullPath(option);
            if (!System.IO.Directory.Exists(full))
            {
                throw new Fail2Ban.ConfigException(full, 0, "configuration directory does not exist");
            }

            return new ConfigLocation(full);
        }

        return System.IO.Directory.Exists(SystemDirectory) ? new ConfigLocation(SystemDirectory) : new ConfigLocation((string?)null);
    }
}
