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
        var scan = env.Scanner.RunAsync("nmap", [v6 ? "-6" : "-4", "-n", "-Pn", "-sS", "-T4", "--max-retries", "0", "--max-rtt-timeout", "100ms", "--host-timeout", "30s", "-p", "1-1000", env.ServerForScanner(v6)], TimeSpan.FromMinutes(2));
        await Eventually.TrueAsync(
            async () => (await env.TableAsync()).Contains(env.ScannerAddress(v6), StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            $"scanner in Warden's set. Warden log:\n{warden.Log}");
        var banned = watch.Elapsed;
        output.WriteLine($"IPv{(v6 ? 6 : 4)}: scan start to ban in the kernel set: {banned.TotalMilliseconds:F0} ms");
        // Once banned, every probe is dropped; nmap gives up on the host after --host-timeout at the latest.
        var nmap = await scan;
        output.WriteLine($"nmap ran {watch.Elapsed.TotalMilliseconds:F0} ms:\n{nmap.StdOut}");

        Assert.Contains("port scan", warden.Log, StringComparison.Ordinal);
        Assert.False(await env.Scanner.CanConnectAsync(env.ServerForScanner(v6), OpenPort, TimeSpan.FromSeconds(1)), "the banned scanner must not connect");
        Assert.True(await env.Client.CanConnectAsync(env.ServerForClient(v6), OpenPort), "the one-port client still connects");
        Assert.DoesNotContain(env.ClientAddress(v6), await env.TableAsync(), StringComparison.Ordinal);
        Assert.True(banned < TimeSpan.FromSeconds(5), $"banned after {banned}");
    }

    [Fact]
    public async Task Run_PfLogLinesAppendedToLogpath_BansScannerButNotOnePortClient()
    {
        // pf's log as `tcpdump -n -e -ttt -i pflog0 -l >> FILE` writes it (the sample is written
        // here from print-pflog.c's format; pf itself cannot run on Linux).
        using var env = new PortScanEnvironment(maxPorts: 10, readFile: true);
        using var warden = await WardenProcess.StartAsync(env.Server, env.ConfigDir);
        var sample = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Samples", "pflog-tcpdump.txt"));

        await File.AppendAllLinesAsync(env.LogPath, sample);

        await Eventually.TrueAsync(
            async () => (await env.TableAsync()).Contains("192.0.2.7", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            $"pf scanner in Warden's set. Warden log:\n{warden.Log}");
        Assert.DoesNotContain("198.51.100.20", await env.TableAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113", await env.TableAsync(), StringComparison.Ordinal);
    }
}
