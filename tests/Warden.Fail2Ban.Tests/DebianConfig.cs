using Warden.TestKit;

namespace Warden.Fail2Ban.Tests;

/// <summary>
/// A copy of Debian's installed /etc/fail2ban in a temp directory, so tests can enable jails in a
/// jail.local without ever touching the system's configuration.
/// </summary>
internal sealed class DebianConfig : IDisposable
{
    public const string System = "/etc/fail2ban";

    private readonly TempDirectory _dir = new("warden-f2b");

    public DebianConfig(string jailLocal)
    {
        _dir.CopyIn(System);
        _dir.Write("jail.local", jailLocal);
    }

    public string Path => _dir.Path;

    public string Write(string name, string content) => _dir.Write(name, content);

    public void Dispose() => _dir.Dispose();
}
