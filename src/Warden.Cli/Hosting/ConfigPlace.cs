namespace Warden.Cli.Hosting;

/// <summary>A file and line of the configuration, for errors found after it was read.</summary>
internal readonly record struct ConfigPlace(string File, int Line);
