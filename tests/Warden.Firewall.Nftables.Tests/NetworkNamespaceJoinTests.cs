using Warden.Core.Ports;
using Warden.Firewall.Nftables.Native;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

public sealed class NetworkNamespaceJoinTests
{
    [Fact]
    public void Enter_TestNamespace_ThreadEndsUpThereAndProcessStaysHome()
    {
        using var ns = NetworkNamespace.Create("nj");
        var home = NetworkNamespaceJoin.LinkInode("/proc/self/ns/net");
        ulong joined = 0;

        RunOnFreshThread(() =>
        {
            NetworkNamespaceJoin.Enter(ns.Name);
            joined = NetworkNamespaceJoin.LinkInode("/proc/thread-self/ns/net");
        });

        Assert.NotEqual(0UL, joined);
        Assert.NotEqual(home, joined);
        Assert.Equal(home, NetworkNamespaceJoin.LinkInode("/proc/self/ns/net"));
    }

    [Fact]
    public async Task Enter_NameBoundToOwnNamespace_Refuses()
    {
        // `ip netns attach` names the test process's own namespace: the backend must refuse it.
        var name = $"wself{Environment.ProcessId % 10000}";
        (await Proc.RunAsync("ip", ["netns", "attach", name, Environment.ProcessId.ToString()])).EnsureSuccess();
        try
        {
            var ex = Assert.Throws<FirewallException>(() => RunOnFreshThread(() => NetworkNamespaceJoin.Enter(name)));
            Assert.Contains("own or the root network namespace", ex.Message);
        }
        finally
        {
            // Only unmounts the name; the namespace itself lives on with this process.
            _ = await Proc.RunAsync("ip", ["netns", "del", name]);
        }
    }

    [Fact]
    public async Task Create_MissingNamespace_EveryCallFailsWithoutTouchingAnything()
    {
        using var firewall = NftablesFirewall.Create(
            new NftablesOptions { NetworkNamespace = "wardendoesnotexist" }, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var ex = await Assert.ThrowsAsync<FirewallException>(() => firewall.ApplyStateAsync([TestBans.Jail("sshd", 22)], [], default));

        Assert.Contains("wardendoesnotexist", ex.Message);
    }

    private static void RunOnFreshThread(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }
}
