using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban.Jails;

/// <summary>A configuration made of one in-memory jail.conf (Warden's built-in default); nothing else exists.</summary>
internal sealed class SingleFileConfig(string displayPath, string text) : IConfigFiles
{
    public bool Exists(string path) => path == "jail.conf";

    public ConfigText? Read(string path) => Exists(path) ? new ConfigText(displayPath, text) : null;

    public IReadOnlyList<string> List(string directory, string suffix) => [];
}
