using System.Globalization;
using System.Text;
using System.Text.Json;
using Warden.Core.Detections;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Jails;

/// <summary>
/// <c>findtime_window = fail2ban</c> against Debian's installed fail2ban: the same random failure
/// sequences go through fail2ban's own FailManager (Debian's /usr/bin/python3 and the package's modules) and through
/// Warden's FailureTracker, and the failures that complete a ban must be the same ones.
/// </summary>
public sealed class FindTimeWindowConformanceTests
{
    private const int Sequences = 3000;

    // Drives fail2ban.server.failmanager as its filter does: cleanup with the current time (the
    // daemon runs it every few seconds with its clock, which never goes back even when a line's
    // time does), addFailure of a FailTicket, toBan once maxretry is reached.
    private const string Driver = """
        import json, sys
        from fail2ban.server.failmanager import FailManager
        from fail2ban.server.ticket import FailTicket
        out = []
        for seq in json.load(sys.stdin):
            fm = FailManager()
            fm.setMaxRetry(seq["maxretry"])
            fm.setMaxTime(seq["findtime"])
            bans = []
            now = 0
            for i, (ip, t) in enumerate(seq["events"]):
                now = max(now, t)
                fm.cleanup(now)
                if fm.addFailure(FailTicket(ip, t)) >= seq["maxretry"]:
                    fm.toBan(ip)
                    bans.append(i)
            out.append(bans)
        json.dump(out, sys.stdout)
        """;

    [Fact]
    public async Task Fail2BanWindow_BansOnTheSameFailuresAsFail2BansFailManager()
    {
        var sequences = RandomSequences(new Random(20261202));

        var expected = await Fail2BanBans(sequences);

        var sliding = 0;
        for (var s = 0; s < sequences.Count; s++)
        {
            Assert.True(
                expected[s].SequenceEqual(WardenBans(sequences[s], FindTimeWindow.Fail2Ban)),
                $"sequence {s} ({Describe(sequences[s])}): fail2ban bans at [{string.Join(',', expected[s])}], " +
                $"Warden at [{string.Join(',', WardenBans(sequences[s], FindTimeWindow.Fail2Ban))}]");
            sliding += expected[s].SequenceEqual(WardenBans(sequences[s], FindTimeWindow.Sliding)) ? 0 : 1;
        }

        // The comparison can tell the two counts apart: Warden's default differs on some sequences.
        Assert.InRange(sliding, 1, Sequences);
    }

    private sealed record Sequence(int MaxRetry, int FindTime, List<(string Ip, double Time)> Events);

    private static List<Sequence> RandomSequences(Random random)
    {
        var sequences = new List<Sequence>(Sequences);
        for (var s = 0; s < Sequences; s++)
        {
            var findTime = new[] { 10, 60, 600 }[random.Next(3)];
            var maxRetry = random.Next(1, 7);
            var events = new List<(string, double)>();
            var time = 1_700_000_000.0;
            for (var e = random.Next(2, 40); e > 0; e--)
            {
                // Gaps from none to twice findtime, some in half seconds, now and then one step back.
                time += random.Next(10) switch
                {
                    0 => 0,
                    1 => -random.Next(1, 4),
                    2 => random.Next(findTime, 2 * findTime),
                    3 => random.Next(0, 2 * findTime) + 0.5,
                    _ => random.Next(0, Math.Max(1, findTime / 2)),
                };
                events.Add(($"192.0.2.{random.Next(1, 4)}", time));
            }

            sequences.Add(new Sequence(maxRetry, findTime, events));
        }

        return sequences;
    }

    private static async Task<List<int[]>> Fail2BanBans(List<Sequence> sequences)
    {
        var json = new StringBuilder("[");
        foreach (var seq in sequences)
        {
            json.Append(CultureInfo.InvariantCulture, $"{{\"maxretry\":{seq.MaxRetry},\"findtime\":{seq.FindTime},\"events\":[");
            json.AppendJoin(',', seq.Events.Select(e => string.Create(CultureInfo.InvariantCulture, $"[\"{e.Ip}\",{e.Time:R}]")));
            json.Append("]},");
        }

        json.Length--;
        json.Append(']');
        var result = (await Proc.RunAsync("/usr/bin/python3", ["-c", Driver], TimeSpan.FromMinutes(2), stdin: json.ToString())).EnsureSuccess();
        return JsonSerializer.Deserialize<List<int[]>>(result.StdOut)!;
    }

    private static int[] WardenBans(Sequence seq, FindTimeWindow window)
    {
        var tracker = new FailureTracker(seq.MaxRetry, TimeSpan.FromSeconds(seq.FindTime), window: window);
        var bans = new List<int>();
        for (var i = 0; i < seq.Events.Count; i++)
        {
            var (ip, time) = seq.Events[i];
            var at = DateTimeOffset.UnixEpoch.AddTicks((long)(time * TimeSpan.TicksPerSecond));
            if (tracker.Add(ip, at) >= seq.MaxRetry)
            {
                bans.Add(i);
            }
        }

        return [.. bans];
    }

    private static string Describe(Sequence seq) =>
        $"maxretry {seq.MaxRetry}, findtime {seq.FindTime}: " +
        string.Join(' ', seq.Events.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Ip[^1]}@{e.Time - 1_700_000_000:R}")));
}
