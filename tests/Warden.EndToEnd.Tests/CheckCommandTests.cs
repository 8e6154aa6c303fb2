using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary><c>warden check</c> on broken configurations: exit 1, and the error names file, line and reason.</summary>
public sealed class CheckCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-check");

    [Theory]
    [InlineData("filter", "no-such-filter", "no-such-filter")]
    [InlineData("maxretry", "three", "maxretry")]
    [InlineData("findtime", "10x", "unknown time unit 'x'")]
    [InlineData("bantime", "soon", "bantime")]
    [InlineData("port", "not-a-service", "not-a-service")]
    [InlineData("backend", "sytemd", "backend must be one of")]
    [InlineData("logcommand", "/no/such/tcpdump -l", "not found")]
    [InlineData("logcommand", "tcpdump -l 'unclosed", "unclosed '")]
    public async Task Check_BrokenSetting_ExitsOneNamingFileLineAndReason(string key, string value, string reason)
    {
        var (jail, line) = WriteJail(key, value);

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{jail}:{line}:", result.StdOut, StringComparison.Ordinal);
        Assert.Contains(reason, result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LogpathIsADirectory_ExitsOne()
    {
        var (jail, line) = WriteJail("logpath", _dir.Path);

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{jail}:{line}:", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("is a directory", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_LogpathUnreadableForTheUser_ExitsOne()
    {
        // Run as nobody: the log belongs to root with mode 0600, as /var/log/auth.log may.
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
        var log = _dir.Write("secret.log", "x\n");
        File.SetUnixFileMode(log, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var (jail, line) = WriteJail("logpath", log);

        var result = await Proc.RunAsync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", WardenBinary.Path, "check", "--config-dir", _dir.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{jail}:{line}:", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("cannot be read", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ValidConfig_ExitsZeroAndListsJail()
    {
        WriteJail("maxretry", "4");

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("jail sshd: filter sshd, 4 failures", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_UnknownFirewallBackend_ExitsOne()
    {
        WriteJail("maxretry", "4");
        _dir.Write("warden.conf", "[warden]\nfirewall = carrier-pigeon\n");

        var result = await Proc.RunAsync(WardenBinary.Path, ["check", "--config-dir", _dir.Path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("unknown firewall backend 'carrier-pigeon'", result.StdOut, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes jail.local with one setting replaced or added; returns the file and the line of that setting.</summary>
    private (string File, int Line) WriteJail(string key, string value)
    {
        var settings = new List<(string Key, string Value)>
        {
            ("enabled", "true"),
            ("port", "ssh"),
            ("filter", "sshd"),
            ("bantime", "1h"),
            ("findtime", "10m"),
            ("maxretry", "3"),
            ("logpath", _dir.Write("auth.log", string.Empty)),
        };
        var index = settings.FindIndex(s => s.Key == key);
        if (index < 0)
        {
            settings.Add((key, value));
            index = settings.Count - 1;
        }
        else
        {
            settings[index] = (key, value);
        }

        var text = "[sshd]\n" + string.Concat(settings.Select(s => $"{s.Key,-8} = {s.Value}\n"));
        return (_dir.Write("jail.local", text), index + 2);
    }
}
