namespace Warden.Fail2Ban;

/// <summary>A configuration file cannot be used: carries the located error.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception from a located error.</summary>
    public ConfigException(ConfigError error, Exception? inner = null)
        : base(error?.ToString(), inner)
    {
        Error = error ?? throw new ArgumentNullException(nameof(error));
    }

    /// <summary>Creates the exception.</summary>
    public ConfigException(string file, int line, string message, Exception? inner = null)
        : this(new ConfigError(file, line, message), inner)
    {
    }

    /// <summary>Where and what.</summary>
    public ConfigError Error { get; }
}
