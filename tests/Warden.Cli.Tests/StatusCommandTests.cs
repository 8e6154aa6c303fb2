using Warden.Cli.Commands;
using Warden.Core.Engine;
using Warden.Web.Api;

namespace Warden.Cli.Tests;

public sealed class StatusCommandTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 1, 22, 13, 6, TimeSpan.FromHours(2));

    [Fact]
    public void PrintAll_Daemon_NamesWardenOnceAndTheStartInIso8601Utc()
    {
        var text = Print(VersionCommand.Describe(), []);

        var first = text.Split('\n')[0];
        Assert.StartsWith("warden ", first, StringComparison.Ordinal);
        Assert.DoesNotContain("warden warden", first, StringComparison.Ordinal);
        Assert.EndsWith(", up since 2026-12-01T20:13:06Z", first, StringComparison.Ordinal);
    }

    [Fact]
    public void PrintAll_Bans_TimesInIso8601Utc()
    {
        var ban = new BanDto("sshd", "192.0.2.7", Started, Started.AddMinutes(10), "log", 5);

        var text = Print("warden 0.1.0", [ban]);

        Assert.Contains("sshd 192.0.2.7 since 2026-12-01T20:13:06Z until 2026-12-01T20:23:06Z (log)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PrintAll_SourceThatDroppedLines_IsNamedWithItsCount()
    {
        var sources = new[] { new SourceStatus("file:/var/log/auth.log", 10, 0, Started), new SourceStatus("nflog:9", 50_000, 0, Started) { Dropped = 1234 } };

        var text = Print("warden 0.1.0", [], sources);

        Assert.Contains("source nflog:9: 1234 line(s) dropped", text, StringComparison.Ordinal);
        Assert.DoesNotContain("source file:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void PrintAll_SourceThatLostData_IsNamedWithItsGaps()
    {
        var sources = new[] { new SourceStatus("file:/var/log/auth.log", 10, 0, Started) { Lost = 2 }, new SourceStatus("file:/var/log/mail.log", 10, 0, Started) };

        var text = Print("warden 0.1.0", [], sources);

        Assert.Contains("source file:/var/log/auth.log: unread data was gone 2 time(s)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("mail.log", text, StringComparison.Ordinal);
    }

    private static string Print(string version, BanDto[] bans, SourceStatus[]? sources = null)
    {
        var status = new StatusDto(version, Started, "nftables", "/etc/warden", "/var/lib/warden/state.db", "pcre2", bans.Length, 10, 1, 0, 0, 1 << 20, 1 << 20, [new JailStatus("sshd", bans.Length, 0, 5, 1, 0, 0, 0)]) { Sources = sources ?? [] };
        using var output = new StringWriter();
        StatusCommand.PrintAll(status, bans, output);
        return output.ToString();
    }
}
