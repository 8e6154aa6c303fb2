using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary><c>warden check</c> on broken configurations: exit 1, and the error names file, line and reason.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-check");

    [Theory]
    [InlineData("filter   = no-such-filter", 4, "no-such-filter")]
    [InlineData("maxretry = three", 6, "maxretry")]
    [InlineData("findtime = 10x", 6, "unknown time unit 'x'")]
    [InlineData("bantime  = soon", 6, "bantime")]
    [InlineData("port     = not-a-service", 6, "not-a-service")]
    public async Task Check_BrokenSetting_ExitsOneNamingFileLineAndReason(string badLine, int line, string reason)
    {
        var jail = WriteJail(badLine);

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{jail}:{line}:", result.StdOut, StringComparison.Ordinal);
        Assert.Contains(reason, result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LogpathIsADirectory_ExitsOne()
    {
        var jail = WriteJail($"logpath  = {_dir.Path}");

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{jail}:6:", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("is a directory", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LogpathUnreadableForTheUser_ExitsOne()
    {
        // Run as nobody: the log belongs to root with mode 0600, as /var/log/auth.log may.
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
        var log = _dir.Write("secret.log", "x\n");
        File.SetUnixFileMode(log, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var jail = WriteJail($"logpath  = {log}");

        var result = await Proc.RunAsync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", WardenBinary.Path, "check", "--config-dir", _dir.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{jail}:6:", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("cannot be read", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ValidConfig_ExitsZeroAndListsJail()
    {
        WriteJail("maxretry = 4");

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("jail sshd: filter sshd, 4 failures", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_UnknownFirewallBackend_ExitsOne()
    {
        WriteJail("maxretry = 4");
        _dir.Write("warden.conf", "[warden]\nfirewall = carrier-pigeon\n");

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown firewall backend 'carrier-pigeon'", result.StdOut, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private string WriteJail(string extraLine)
    {
        var log = _dir.Write("auth.log", string.Empty);
        // Line numbers matter: the tested setting is on line 4 (filter) or line 6 (the rest).
        var filterLine = extraLine.StartsWith("filter", StringComparison.Ordinal) ? extraLine : "filter   = sshd";
        var sixth = extraLine.StartsWith("filter", StringComparison.Ordinal) ? "maxretry = 3" : extraLine;
        var logLine = extraLine.StartsWith("logpath", StringComparison.Ordinal) ? string.Empty : $"logpath  = {log}";
        return _dir.Write("jail.local", $"""
            [sshd]
            enabled  = true
            port     = ssh
            {filterLine}
            bantime  = 1h
            {sixth}
            {logLine}
            """);
    }
}
