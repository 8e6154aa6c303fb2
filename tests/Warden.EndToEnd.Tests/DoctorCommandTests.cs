using System.Diagnostics;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// <c>warden doctor</c> and the forward guard through the real binary, on a namespace host with
/// Docker's rules and a VM bridge.
/// </summary>
public sealed class DoctorCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-doctor");
    private readonly DockerLikeHost _docker = DockerLikeHost.Create(withVmBridge: true);

    public void Dispose()
    {
        _docker.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Doctor_VmBridgeWithoutForwardAllow_ExitsOneWithExactFix()
    {
        WriteConfig(forwardAllow: null);

        var result = await _docker.Host.RunAsync(WardenBinary.Path, ["doctor", "--config-dir", _dir.Path]);

        Assert.True(result.ExitCode == 1, result.StdOut + result.StdErr);
        Assert.Contains("PROBLEM  [bridges] traffic bridged through br0 passes iptables FORWARD", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("fix: add `forward_allow = br0` under [warden] in warden.conf", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("table inet warden does not exist", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ForwardAllowBr0_DoctorOkAndGuardSurvivesDockerRewritingItsChains()
    {
        WriteConfig(forwardAllow: "br0");
        using var warden = await WardenProcess.StartAsync(_docker.Host, _dir.Path);
        await Eventually.TrueAsync(() => _docker.Vm!.CanConnectAsync(DockerLikeHost.LanAddress, DockerLikeHost.LanPort), TimeSpan.FromSeconds(10), "VM traffic flows through br0");

        var doctor = await _docker.Host.RunAsync(WardenBinary.Path, ["doctor", "--config-dir", _dir.Path]);
        Assert.True(doctor.ExitCode == 0, doctor.StdOut + doctor.StdErr);
        Assert.Contains("ok       [forward-guard] forwarding through br0 is accepted in DOCKER-USER", doctor.StdOut, StringComparison.Ordinal);

        _docker.DeleteDockerChains();
        _docker.LoadDockerRules();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(5) && !_docker.Host.Exec("iptables", "-S", "DOCKER-USER").Contains("-j WARDEN-FORWARD", StringComparison.Ordinal))
        {
            await Task.Delay(20);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"guard back after {watch.ElapsedMilliseconds} ms\n{warden.Log}");
        Assert.True(await _docker.Vm!.CanConnectAsync(DockerLikeHost.LanAddress, DockerLikeHost.LanPort));
    }

    private void WriteConfig(string? forwardAllow)
    {
        var log = _dir.Write("auth.log", string.Empty);
        _dir.Write("jail.local", $"[sshd]\nenabled = true\nfilter = sshd\nlogpath = {log}\nport = 22\n");
        _dir.Write("warden.conf", $"[warden]\nstate = {_dir.File("state.db")}\n{(forwardAllow is null ? string.Empty : $"forward_allow = {forwardAllow}\n")}");
    }
}
