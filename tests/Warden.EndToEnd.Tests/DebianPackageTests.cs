using System.Globalization;
using System.Text.RegularExpressions;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// packaging/deb.sh: the package holds what a Debian admin expects where they expect it, lintian
/// finds no error, it installs into a tree with <c>dpkg --root</c> (its maintainer scripts run
/// against that tree), the installed binary runs, the unit verifies, and remove keeps the state
/// that purge deletes.
/// </summary>
public sealed partial class DebianPackageTests : IDisposable
{
    private static readonly Lazy<string> Package = new(Build);
    private readonly TempDirectory _tree = new("warden-deb-root");

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task Contents_ListsBinaryUnitConfigManPageCompletion()
    {
        var listing = (await Proc.RunAsync("dpkg-deb", ["-c", Package.Value])).EnsureSuccess().StdOut;

        foreach (var path in (string[])["./usr/sbin/warden", "./lib/systemd/system/warden.service", "./etc/warden/warden.conf",
            "./etc/warden/jail.local", "./usr/share/man/man8/warden.8.gz", "./usr/share/bash-completion/completions/warden",
            "./usr/share/doc/warden/copyright", "./usr/share/doc/warden/examples/sendmail.conf"])
        {
            Assert.Matches(new Regex($@" {Regex.Escape(path)}(\n|$)", RegexOptions.Multiline), listing);
        }

        Assert.Matches(@"-rwxr-xr-x root/root .* \./usr/sbin/warden", listing);
        var fields = (await Proc.RunAsync("dpkg-deb", ["-f", Package.Value, "Depends", "Architecture"])).EnsureSuccess().StdOut;
        Assert.Contains("libnftables1, libsqlite3-0, libpcre2-8-0", fields, StringComparison.Ordinal);
        var conffiles = (await Proc.RunAsync("dpkg-deb", ["-I", Package.Value, "conffiles"])).EnsureSuccess().StdOut;
        Assert.Equal(["/etc/warden/warden.conf", "/etc/warden/jail.local"], conffiles.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Lintian_ReportsNoError()
    {
        var result = await Proc.RunAsync("lintian", ["--tag-display-limit", "0", Package.Value], TimeSpan.FromMinutes(3));

        Assert.DoesNotContain(result.StdOut.Split('\n'), l => l.StartsWith("E: ", StringComparison.Ordinal));
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
    }

    [Fact]
    public async Task Install_IntoTree_BinaryRunsCheckPassesRemoveKeepsStatePurgeDeletesIt()
    {
        var root = _tree.Path;
        foreach (var dir in (string[])["var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers"])
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), string.Empty);
        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/available"), string.Empty);

        // The libraries it depends on are the host's (the binary runs here, not chrooted), so their
        // absence from the empty tree's dpkg database is forced past.
        (await Dpkg(root, "-i", Package.Value)).EnsureSuccess();

        var installed = Path.Combine(root, "usr/sbin/warden");
        var version = (await Proc.RunAsync(installed, ["version"])).EnsureSuccess().StdOut;
        Assert.StartsWith("warden ", version, StringComparison.Ordinal);
        var check = await Proc.RunAsync(installed, ["check", "--config-dir", Path.Combine(root, "etc/warden")]);
        Assert.True(check.ExitCode == 0, check.StdOut + check.StdErr);
        Assert.Contains("jail sshd: filter sshd", check.StdOut, StringComparison.Ordinal);
        Assert.Contains("OK: 1 jail(s)", check.StdOut, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(root, "var/lib/warden")), "postinst made /var/lib/warden");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(root, "var/lib/warden")));

        var state = Path.Combine(root, "var/lib/warden/warden.db");
        File.WriteAllText(state, "state");
        (await Dpkg(root, "-r", "warden")).EnsureSuccess();
        Assert.False(File.Exists(installed));
        Assert.True(File.Exists(state), "remove keeps /var/lib/warden");
        Assert.True(File.Exists(Path.Combine(root, "etc/warden/jail.local")), "remove keeps the conffiles");

        (await Dpkg(root, "-P", "warden")).EnsureSuccess();
        Assert.False(Directory.Exists(Path.Combine(root, "var/lib/warden")), "purge deletes /var/lib/warden");
        Assert.False(File.Exists(Path.Combine(root, "etc/warden/jail.local")), "purge deletes the conffiles");
    }

    [Fact]
    public async Task Unit_VerifiesAndItsExposureIsUnderFour()
    {
        var root = _tree.Path;
        (await Proc.RunAsync("dpkg-deb", ["-x", Package.Value, root])).EnsureSuccess();
        // verify resolves the unit's dependencies (sysinit.target, ...) and its commands inside the
        // root: the host's units and kill(1) stand in for the system the package installs into.
        (await Proc.RunAsync("cp", ["-an", "/lib/systemd/system/.", Path.Combine(root, "lib/systemd/system/")])).EnsureSuccess();
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy("/bin/kill", Path.Combine(root, "bin/kill"));

        var verify = await Proc.RunAsync("systemd-analyze", ["verify", "--root", root, "--man=no", "warden.service"]);
        Assert.True(verify.ExitCode == 0 && verify.StdErr.Trim().Length == 0, verify.StdOut + verify.StdErr);

        var security = (await Proc.RunAsync("systemd-analyze", ["security", "--offline=yes", "--root", root, "warden.service"])).EnsureSuccess();
        var match = ExposureLine().Match(security.StdOut);
        Assert.True(match.Success, security.StdOut);
        var exposure = double.Parse(match.Groups["level"].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure < 4.0, $"exposure {exposure}:\n{security.StdOut}");
        Console.WriteLine($"systemd-analyze security warden.service: {exposure}");

        // The documented drop-in for sendmail actions verifies too, and loosens only what it says.
        var dropIn = Path.Combine(root, "etc/systemd/system/warden.service.d/sendmail.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(dropIn)!);
        File.Copy(Path.Combine(root, "usr/share/doc/warden/examples/sendmail.conf"), dropIn);
        var verifyDropIn = await Proc.RunAsync("systemd-analyze", ["verify", "--root", root, "--man=no", "warden.service"]);
        Assert.True(verifyDropIn.ExitCode == 0 && verifyDropIn.StdErr.Trim().Length == 0, verifyDropIn.StdOut + verifyDropIn.StdErr);
        var loosened = (await Proc.RunAsync("systemd-analyze", ["security", "--offline=yes", "--root", root, "warden.service"])).EnsureSuccess();
        var withDropIn = double.Parse(ExposureLine().Match(loosened.StdOut).Groups["level"].Value, CultureInfo.InvariantCulture);
        Assert.True(withDropIn > exposure, $"the drop-in was not applied: {withDropIn}:\n{loosened.StdOut}");
        Assert.Contains("NoNewPrivileges=", loosened.StdOut, StringComparison.Ordinal);
        Console.WriteLine($"systemd-analyze security warden.service with the sendmail drop-in: {withDropIn}");
    }

    [GeneratedRegex(@"Overall exposure level for warden\.service: (?<level>[0-9.]+)")]
    private static partial Regex ExposureLine();

    private static Task<ProcessResult> Dpkg(string root, params string[] args) =>
        Proc.RunAsync("dpkg", ["--root", root, "--force-script-chrootless", "--force-depends", "--force-not-root", .. args], TimeSpan.FromMinutes(2));

    private static string Build()
    {
        _ = WardenBinary.Path;
        var result = Proc.RunAsync(Repository.PathOf("packaging", "deb.sh"), [], TimeSpan.FromMinutes(10)).GetAwaiter().GetResult().EnsureSuccess();
        var path = result.StdOut.Trim().Split('\n')[^1];
        Assert.True(File.Exists(path), $"deb.sh printed {path}");
        return path;
    }
}
