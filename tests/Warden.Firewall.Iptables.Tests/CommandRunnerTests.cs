using Warden.Core.Ports;

namespace Warden.Firewall.Iptables.Tests;

/// <summary>The iptables adapter's runner over the shared process runner (real processes, no firewall touched).</summary>
public sealed class CommandRunnerTests
{
    [Fact]
    public async Task RunAsync_ProgramWithInputAndExitCode_GivesBackOutputErrorAndCode()
    {
        var runner = new CommandRunner("iptables", null);

        var result = await runner.RunAsync("sh", ["-c", "cat; echo oops >&2; exit 3"], "-A WARDEN\n", CancellationToken.None);

        Assert.Equal(("sh -c cat; echo oops >&2; exit 3", 3, "-A WARDEN\n", "oops\n"), (result.Command, result.ExitCode, result.StdOut, result.StdErr));
    }

    [Fact]
    public async Task RunCheckedAsync_NonZeroExit_ThrowsWithCommandCodeAndError()
    {
        var runner = new CommandRunner("iptables", null);

        var ex = await Assert.ThrowsAsync<FirewallException>(() => runner.RunCheckedAsync("sh", ["-c", "echo 'chain exists' >&2; exit 1"], null, CancellationToken.None));

        Assert.Equal(("iptables", 1), (ex.Backend, ex.ExitCode));
        Assert.Contains("chain exists", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingProgram_ThrowsSayingItCannotRun()
    {
        var runner = new CommandRunner("iptables", null);

        var ex = await Assert.ThrowsAsync<FirewallException>(() => runner.RunAsync("/nonexistent/iptables", ["-L"], null, CancellationToken.None));

        Assert.Contains("cannot run /nonexistent/iptables", ex.Message, StringComparison.Ordinal);
        Assert.Equal(-1, ex.ExitCode);
    }
}
