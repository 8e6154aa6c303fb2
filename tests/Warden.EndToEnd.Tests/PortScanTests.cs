using System.Diagnostics;
using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// Issue 6's must-show: a real nmap scan from a scanner namespace, seen through Warden's own
/// nftables logging rule over NFLOG, bans the scanner within seconds; a client that keeps
/// connecting to one open port is never banned. Real nft, real nmap, real kernel.
/// </summary>
public class PortScanTests(ITestOutputHelper output)
{
    private const int OpenPort = 8080;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_NmapScanSeenOverNflog_BansScannerButNotOnePortClient(bool v6)
    {
        using var env = new PortScanEnvironment(maxPorts: 10);
        env.Listen(OpenPort);
        using var warden = await WardenProcess.StartAsync(env.Server, env.ConfigDir);
        await warden.WaitForLogAsync("reading packets over NFLOG", TimeSpan.FromSeconds(10));
        var table = await env.TableAsync();
        Assert.Contains("chain scanlog", table, StringComparison.Ordinal);
        Assert.Contains("log group 7", table, StringComparison.Ordinal);
        await Eventually.TrueAsync(() => env.Scanner.CanConnectAsync(env.ServerForScanner(v6), OpenPort), TimeSpan.FromSeconds(10), "the scanner reaches the open port before the scan");

        // The client opens 30 connections to the one open port: 30 logged SYNs, one distinct port.
        for (var i = 0; i < 30; i++)
        {
            Assert.True(await env.Client.CanConnectAsync(env.ServerForClient(v6), OpenPort), $"client connection {i}");
        }

        var watch = Stopwatch.StartNew();
        var scan = env.Scanner.RunAsync("nmap", [v6 ? "-6" : "-4", "-n", "-Pn", "-sS", "-T4", "--max-retries", "0", "-p", "1-1000", env.ServerForScanner(v6)], TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(
            async () => (await env.TableAsync()).Contains(env.ScannerAddress(v6), StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            $"scanner in Warden's set. Warden log:\n{warden.Log}");
        var banned = watch.Elapsed;
        output.WriteLine($"IPv{(v6 ? 6 : 4)}: scan start to ban in the kernel set: {banned.TotalMilliseconds:F0} ms");
        var nmap = await scan;
        output.WriteLine($"nmap ran {watch.Elapsed.TotalMilliseconds:F0} ms:\n{nmap.StdOut}");

        Assert.Contains("port scan", warden.Log, StringComparison.Ordinal);
        Assert.False(await env.Scanner.CanConnectAsync(env.ServerForScanner(v6), OpenPort, TimeSpan.FromSeconds(1)), "the banned scanner must not connect");
        Assert.True(await env.Client.CanConnectAsync(env.ServerForClient(v6), OpenPort), "the one-port client still connects");
        Assert.DoesNotContain(env.ClientAddress(v6), await env.TableAsync(), StringComparison.Ordinal);
        Assert.True(banned < TimeSpan.FromSeconds(5), $"banned after {banned}");
    }
}
