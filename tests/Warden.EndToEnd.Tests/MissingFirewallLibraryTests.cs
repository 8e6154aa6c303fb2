using System.Runtime.InteropServices;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// A host without libnftables1 (a fresh Debian with only the .NET SDK): the library is made
/// unloadable for warden alone, by bind-mounting an empty file over it in a mount namespace of
/// its own (inside a network namespace the test creates), and <c>run</c>, <c>check</c> and
/// <c>doctor</c> must each say so in one line instead of starting.
/// </summary>
public sealed class MissingFirewallLibraryTests : IDisposable
{
    private const string Expected = "firewall nftables cannot work here: libnftables.so.1 (the nftables library) cannot be loaded; "
        + "install it with `apt-get install libnftables1`, or set firewall = iptables in warden.conf";

    private readonly TempDirectory _dir = new("warden-nolib");
    private readonly NetworkNamespace _ns = NetworkNamespace.Create("nolib");

    public MissingFirewallLibraryTests()
    {
        var log = _dir.Write("auth.log", string.Empty);
        _dir.Write("jail.local", $"[sshd]\nenabled = true\nfilter = sshd\nlogpath = {log}\nport = 22\n");
        _dir.Write("warden.conf", $"[warden]\nstate = {_dir.File("state.db")}\n[api]\nsocket = {_dir.File("api.sock")}\n");
    }

    public void Dispose()
    {
        _ns.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Run_LibnftablesMissing_ExitsOneWithOneLineAndNoStackTrace()
    {
        var result = await WithoutLibnftablesAsync("run", "--config-dir", _dir.Path);

        var output = result.StdOut + result.StdErr;
        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}:\n{output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.Contains(Expected, StringComparison.Ordinal));
        Assert.DoesNotContain("Warden started", output, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.True(output.Length < 1000, output);
    }

    [Theory]
    [InlineData("check", "error: ")]
    [InlineData("doctor", "PROBLEM  [firewall] ")]
    public async Task CheckAndDoctor_LibnftablesMissing_ExitOneNamingPackageAndAlternative(string verb, string prefix)
    {
        var result = await WithoutLibnftablesAsync(verb, "--config-dir", _dir.Path);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}:\n{result.StdOut}{result.StdErr}");
        Assert.Contains(prefix + Expected, result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LibnftablesPresent_ReportsNoFirewallProblem()
    {
        // The same configuration with the library in place: the line above comes from its absence.
        var result = await _ns.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.DoesNotContain("cannot work here", result.StdOut, StringComparison.Ordinal);
    }

    // unshare -m: the bind mount is private to warden's process and gone when it exits.
    private Task<ProcessResult> WithoutLibnftablesAsync(params string[] args)
    {
        var library = $"/usr/lib/{(RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "aarch64" : "x86_64")}-linux-gnu/libnftables.so.1";
        Assert.True(File.Exists(library), $"{library} is needed to hide it");
        return _ns.RunAsync("unshare", ["-m", "sh", "-c", "mount --bind /dev/null \"$0\" && exec \"$@\"", library, WardenBinary.Path, .. args], TimeSpan.FromSeconds(60));
    }
}
