using Warden.Fail2Ban.Jails;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Jails;

/// <summary>backend = systemd with its journal options, logcommand and logpath = - (issue 6).</summary>
public sealed class JailSourcesTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-jail-sources");

    [Fact]
    public void Load_BackendSystemdWithJournalPath_ReadsTheJournalAndIgnoresLogpath()
    {
        var jail = LoadOne("backend = systemd[journalpath=/var/log/journal/remote, journalflags=1]\nlogpath = /no/such/file.log");

        Assert.Equal(LogSourceKind.Systemd, jail.LogSource);
        Assert.True(jail.Sources.Journal);
        Assert.Equal("/var/log/journal/remote", jail.Sources.JournalPath);
        Assert.Empty(jail.LogPaths);
    }

    [Fact]
    public void Load_JournalOptionsAsJailOptions_AreKept()
    {
        var jail = LoadOne("backend = systemd\njournalpath = /srv/journal\njournalfiles = /a/*.journal /b/x.journal");

        Assert.Equal("/srv/journal", jail.Sources.JournalPath);
        Assert.Equal(["/a/*.journal", "/b/x.journal"], jail.Sources.JournalFiles);
    }

    [Fact]
    public void Load_LogCommand_IsSplitIntoWordsWithoutExpansion()
    {
        var jail = LoadOne("logcommand = /bin/sh -c 'tcpdump -l | cut -d\" \" -f1' \"$HOME\" a\\ b");

        Assert.Equal(["/bin/sh", "-c", "tcpdump -l | cut -d\" \" -f1", "$HOME", "a b"], jail.Sources.Command);
        Assert.Empty(jail.LogPaths);
    }

    [Fact]
    public void Load_LogPathDash_IsKeptWithoutCheckingAFile()
    {
        var jail = LoadOne("logpath = -");

        Assert.Equal(["-"], jail.LogPaths);
    }

    [Theory]
    [InlineData("", LogSourceKind.Auto)]
    [InlineData("backend = polling", LogSourceKind.Polling)]
    [InlineData("backend = pyinotify", LogSourceKind.Pyinotify)]
    [InlineData("backend = gamin", LogSourceKind.Gamin)]
    [InlineData("backend = auto", LogSourceKind.Auto)]
    public void Load_Backend_IsTheLogSourceKind(string line, LogSourceKind expected)
    {
        var jail = LoadOne($"logpath = /dev/null\n{line}");

        Assert.Equal(expected, jail.LogSource);
        Assert.False(jail.Sources.Journal);
    }

    [Theory]
    [InlineData("backend = sytemd", "backend must be one of auto, pyinotify, gamin, polling, systemd, not 'sytemd'")]
    [InlineData("backend = systemd[journalpath=/x", "backend")]
    [InlineData("logcommand = tcpdump -l 'unclosed", "unclosed '")]
    [InlineData("logcommand = no-such-program-anywhere -f", "not found")]
    [InlineData("logcommand = /no/such/program", "not found")]
    public void Load_BadSourceOption_IsAnErrorNamingFileAndLine(string line, string reason)
    {
        _dir.Write("jail.local", $"[sshd]\nenabled = true\naction =\nlogpath = /dev/null\n{line}\n");

        var result = JailConfigLoader.Load(_dir.Path);

        var error = Assert.Single(result.Errors);
        Assert.Empty(result.Jails);
        Assert.Equal((_dir.File("jail.local"), 5), (error.File, error.Line));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoLogpathNoCommandNoJournal_IsAnError()
    {
        _dir.Write("jail.local", "[sshd]\nenabled = true\naction =\n");

        var error = Assert.Single(JailConfigLoader.Load(_dir.Path).Errors);

        Assert.Contains("has no logpath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnsupportedBackendOption_IsAWarning()
    {
        _dir.Write("jail.local", "[sshd]\nenabled = true\naction =\nbackend = systemd[namespace=web]\n");

        var result = JailConfigLoader.Load(_dir.Path);

        Assert.Single(result.Jails);
        Assert.Contains(result.Warnings, w => w.Line == 4 && w.Message.Contains("namespace", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    private JailDefinition LoadOne(string options)
    {
        _dir.Write("jail.local", $"[sshd]\nenabled = true\naction =\n{options}\n");
        var result = JailConfigLoader.Load(_dir.Path);
        Assert.Empty(result.Errors.Select(e => e.ToString()));
        return Assert.Single(result.Jails);
    }
}
