using System.Globalization;
using Warden.Core.Ports;
using Warden.Sources.Processes;
using Warden.TestKit;

namespace Warden.Sources.Tests.Processes;

public sealed class CommandLogSourceTests
{
    [Fact]
    public async Task ReadAsync_CommandPrintsLines_HandsThemOutAsTheyCome()
    {
        using var dir = new TempDirectory("warden-command");
        var go = dir.File("go");
        var source = CommandLogSource.Create(["/bin/sh", "-c", $"echo first; while [ ! -e '{go}' ]; do sleep 0.05; done; printf 'second\\npartial'; sleep 30"]);
        await using var run = await SourceRun.StartAsync(source, null);

        await run.WaitForAsync(1);
        Assert.Equal(["first"], run.Lines);
        File.WriteAllText(go, string.Empty);
        await run.WaitForAsync(2);
        await run.AssertStaysAtAsync(2);
        Assert.Equal(["first", "second"], run.Lines);
        Assert.Equal(CommandLogSource.Token, run.Checkpoint);
    }

    [Fact]
    public async Task ReadAsync_TcpdumpInANamespace_HandsOutEachPacketLine()
    {
        using var ns = NetworkNamespace.Create("tcpd");
        var source = CommandLogSource.Create(["ip", "netns", "exec", ns.Name, "tcpdump", "-l", "-n", "-i", "lo", "tcp", "dst", "port", "9"]);
        await using var run = await SourceRun.StartAsync(source, null);

        // tcpdump attaches a moment after it starts: knock on the closed port until it prints.
        await Eventually.TrueAsync(
            async () =>
            {
                await ns.CanConnectAsync("127.0.0.1", 9, TimeSpan.FromMilliseconds(200));
                return run.Lines.Count > 0;
            },
            TimeSpan.FromSeconds(15),
            "a packet line from tcpdump");

        Assert.Matches(@"IP 127\.0\.0\.1\.\d+ > 127\.0\.0\.1\.9: Flags \[S\]", run.Lines[0]);
    }

    [Fact]
    public async Task ReadAsync_ShellSyntaxInArguments_IsNotInterpreted()
    {
        var source = CommandLogSource.Create(["/bin/echo", "$(id -u); echo injected `id`"]);
        var lines = new List<string>();

        await Assert.ThrowsAsync<LogSourceException>(async () =>
        {
            await foreach (var batch in source.ReadAsync(null, CancellationToken.None))
            {
                lines.AddRange(batch.Lines);
            }
        });

        Assert.Equal(["$(id -u); echo injected `id`"], lines);
    }

    [Fact]
    public async Task ReadAsync_CommandEnds_ThrowsWithExitCodeAndStandardError()
    {
        var source = CommandLogSource.Create(["/bin/sh", "-c", "echo last line; echo 'no such interface' >&2; exit 3"]);
        var lines = new List<string>();

        var error = await Assert.ThrowsAsync<LogSourceException>(async () =>
        {
            await foreach (var batch in source.ReadAsync(null, CancellationToken.None))
            {
                lines.AddRange(batch.Lines);
            }
        });

        Assert.Equal(["last line"], lines);
        Assert.Contains("exit code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("no such interface", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Stopped_KillsTheCommand()
    {
        var source = CommandLogSource.Create(["/bin/sh", "-c", "echo $$; exec sleep 300"]);
        var run = await SourceRun.StartAsync(source, null);
        await run.WaitForAsync(1);
        var pid = int.Parse(run.Lines[0], CultureInfo.InvariantCulture);
        Assert.True(Directory.Exists($"/proc/{pid}"));

        await run.DisposeAsync();

        await Eventually.TrueAsync(() => !Directory.Exists($"/proc/{pid}"), TimeSpan.FromSeconds(10), "the command to be gone");
    }

    [Fact]
    public async Task ReadAsync_MissingProgram_Throws()
    {
        var source = CommandLogSource.Create(["/nonexistent/tcpdump", "-l"]);

        var error = await Assert.ThrowsAsync<LogSourceException>(async () =>
        {
            await foreach (var _ in source.ReadAsync(null, CancellationToken.None))
            {
            }
        });
        Assert.Contains("/nonexistent/tcpdump", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NoProgram_Throws() =>
        Assert.Throws<ArgumentException>(() => CommandLogSource.Create([]));
}
