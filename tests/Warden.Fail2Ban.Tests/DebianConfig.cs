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
        Copy(System, _dir.Path);
        _dir.Write("jail.local", jailLocal);
    }

    public string Path => _dir.Path;

    public string Write(string name, string content) => _dir.Write(name, content);

    public void Dispose() => _dir.Dispose();

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, global::System.IO.Path.Combine(to, global::System.IO.Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            Copy(dir, global::System.IO.Path.Combine(to, global::System.IO.Path.GetFileName(dir)));
        }
    }
}
