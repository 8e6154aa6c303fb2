using System.Net;
using Warden.Core.Fleet;

namespace Warden.Core.Tests.Fleet;

public class DecisionTextTests
{
    private static List<KeyValuePair<string, string>> Fields(FleetEntry entry) => [.. entry.WireFields];

    [Fact]
    public void Format_Decision_IsPlainTextFieldsAnAdminCanRead()
    {
        using var signer = FleetTestKeys.Signer("a", out _);
        var entry = signer.Sign(FleetTestKeys.Ban(signer, "192.0.2.7"));

        var fields = Fields(entry).ToDictionary(f => f.Key, f => f.Value);

        Assert.Equal("a", fields["origin"]);
        Assert.Equal("ban", fields["kind"]);
        Assert.Equal("sshd", fields["jail"]);
        Assert.Equal("192.0.2.7", fields["target"]);
        Assert.Equal("2026-12-02T07:00:00.000Z", fields["issued"]);
        Assert.Equal("2026-12-02T08:00:00.000Z", fields["expires"]);
        Assert.Equal("sshd: 5 failures", fields["reason"]);
        Assert.Equal("ab12", fields["evidence"]);
        Assert.NotEmpty(fields["sig"]);
    }

    [Fact]
    public void TryParse_OwnFields_RoundTrips()
    {
        using var signer = FleetTestKeys.Signer("a", out _);
        var entry = signer.Sign(FleetTestKeys.Ban(signer, "2001:db8::/64", duration: TimeSpan.FromDays(1)));

        Assert.True(DecisionText.TryParse(Fields(entry), out var parsed, out var error), error);

        Assert.Equal(entry.Decision, parsed.Decision);
        Assert.Equal(entry.Signature, parsed.Signature);
    }

    [Fact]
    public void TryParseLines_SnapshotText_RoundTrips()
    {
        using var signer = FleetTestKeys.Signer("a", out _);
        var entry = signer.Sign(FleetTestKeys.Ban(signer, "198.51.100.0/24"));

        Assert.True(DecisionText.TryParseLines(DecisionText.ToLines(entry), out var parsed, out var error), error);

        Assert.Equal(entry.Decision, parsed.Decision);
        Assert.Equal("a|sshd|198.51.100.0/24", parsed.SnapshotKey);
    }

    [Fact]
    public void TryParse_PermanentBan_HasNoExpiry()
    {
        using var signer = FleetTestKeys.Signer("a", out _);
        var decision = FleetTestKeys.Ban(signer, "192.0.2.7") with { Expires = null };

        var entry = signer.Sign(decision);

        Assert.Contains(new KeyValuePair<string, string>("expires", "never"), entry.Fields);
        Assert.Null(entry.Decision.Expires);
    }

    [Fact]
    public void TryParse_NoSignature_ParsesWithAnEmptyOne()
    {
        using var signer = FleetTestKeys.Signer("a", out _);
        var fields = Fields(signer.Sign(FleetTestKeys.Ban(signer, "192.0.2.7"))).Where(f => f.Key != "sig").ToList();

        Assert.True(DecisionText.TryParse(fields, out var parsed, out _));
        Assert.Equal("", parsed.Signature);
    }

    [Theory]
    [InlineData("seq", "0", "seq")]
    [InlineData("seq", "-5", "seq")]
    [InlineData("seq", "12x", "seq")]
    [InlineData("kind", "ban ", "kind")]
    [InlineData("jail", "ssh d", "jail")]
    [InlineData("jail", "", "jail")]
    [InlineData("origin", "a/b", "origin")]
    [InlineData("target", "192.0.2.300", "target")]
    [InlineData("target", "example.org", "target")]
    [InlineData("issued", "2026-12-02 07:00:00", "issued")]
    [InlineData("expires", "tomorrow", "expires")]
    [InlineData("reason", "line\u001bwith escape", "reason")]
    [InlineData("evidence", "XYZ", "evidence")]
    public void TryParse_BadField_IsMalformedAndSaysWhich(string name, string value, string said)
    {
        using var signer = FleetTestKeys.Signer("a", out _);
        var fields = Fields(signer.Sign(FleetTestKeys.Ban(signer, "192.0.2.7")))
            .Select(f => f.Key == name ? new KeyValuePair<string, string>(name, value) : f).ToList();

        Assert.False(DecisionText.TryParse(fields, out _, out var error));
        Assert.Contains(said, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_MissingDoubledOrUnknownField_IsMalformed()
    {
        using var signer = FleetTestKeys.Signer("a", out _);
        var fields = Fields(signer.Sign(FleetTestKeys.Ban(signer, "192.0.2.7")));

        Assert.False(DecisionText.TryParse([.. fields.Where(f => f.Key != "jail")], out _, out var missing));
        Assert.False(DecisionText.TryParse([.. fields, new("jail", "nginx")], out _, out var doubled));
        Assert.False(DecisionText.TryParse([.. fields, new("extra", "1")], out _, out var unknown));
        Assert.Contains("missing", missing, StringComparison.Ordinal);
        Assert.Contains("twice", doubled, StringComparison.Ordinal);
        Assert.Contains("unknown", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_BadNodeName_Throws()
    {
        var decision = new FleetDecision("a b", 1, DecisionKind.Ban, "sshd", IPNetwork.Parse("192.0.2.7/32"), FleetTestKeys.Now, null, "", "");

        Assert.Throws<ArgumentException>(() => DecisionText.Format(decision));
    }
}
