using Warden.Core.Fleet;

namespace Warden.Core.Tests.Fleet;

public class FleetSignerTests
{
    [Fact]
    public void Sign_ThenVerify_WithTheOriginsPublicKey_Passes()
    {
        using var signer = FleetTestKeys.Signer("a", out var keys);
        using var peers = FleetTestKeys.Peers(("a", keys));

        Assert.True(peers.Verify(signer.Sign(FleetTestKeys.Ban(signer, "192.0.2.7"))));
    }

    [Fact]
    public void Verify_AnyChangedField_Fails()
    {
        using var signer = FleetTestKeys.Signer("a", out var keys);
        using var peers = FleetTestKeys.Peers(("a", keys));
        var entry = signer.Sign(FleetTestKeys.Ban(signer, "192.0.2.7"));

        foreach (var name in DecisionText.SignedFields)
        {
            var changed = entry.Fields.Select(f => f.Key == name ? new KeyValuePair<string, string>(name, Tamper(name, f.Value)) : f).ToList();
            Assert.True(DecisionText.TryParse([.. changed, new("sig", entry.Signature)], out var tampered, out var error), name + ": " + error);
            Assert.False(peers.Verify(tampered), name);
        }
    }

    [Fact]
    public void Verify_AnotherNodesKey_Fails()
    {
        using var signer = FleetTestKeys.Signer("a", out _);
        using var other = FleetTestKeys.Signer("a", out var otherKeys);
        using var peers = FleetTestKeys.Peers(("a", otherKeys));

        Assert.False(peers.Verify(signer.Sign(FleetTestKeys.Ban(signer, "192.0.2.7"))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void Verify_GarbageSignature_Fails(string signature)
    {
        using var signer = FleetTestKeys.Signer("a", out var keys);
        using var peers = FleetTestKeys.Peers(("a", keys));
        var entry = signer.Sign(FleetTestKeys.Ban(signer, "192.0.2.7")) with { Signature = signature };

        Assert.False(peers.Verify(entry));
    }

    [Fact]
    public void NextSequence_SameOrEarlierTime_StillIncreases()
    {
        using var signer = FleetTestKeys.Signer("a", out _);

        var first = signer.NextSequence(FleetTestKeys.Now);
        var second = signer.NextSequence(FleetTestKeys.Now);
        var third = signer.NextSequence(FleetTestKeys.Now.AddSeconds(-10));

        Assert.True(second > first);
        Assert.True(third > second);
    }

    [Fact]
    public void NextSequence_AfterARestart_IsAboveTheLastRunsNumbers()
    {
        long last;
        using (var before = FleetTestKeys.Signer("a", out _))
        {
            last = before.NextSequence(FleetTestKeys.Now);
        }

        using var after = FleetTestKeys.Signer("a", out _);

        Assert.True(after.NextSequence(FleetTestKeys.Now.AddMilliseconds(1)) > last);
    }

    [Fact]
    public void Sign_DecisionOfAnotherOrigin_Throws()
    {
        using var a = FleetTestKeys.Signer("a", out _);
        using var b = FleetTestKeys.Signer("b", out _);

        Assert.Throws<ArgumentException>(() => a.Sign(FleetTestKeys.Ban(b, "192.0.2.7")));
    }

    [Fact]
    public void ImportPrivate_PublicKeyOnly_FailsNamingTheSource()
    {
        var keys = FleetKeys.Generate();

        var error = Assert.Throws<FormatException>(() => FleetKeys.ImportPrivate(keys.PublicPem, "/etc/warden/fleet/a.key"));

        Assert.Contains("/etc/warden/fleet/a.key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportPublic_NotPem_FailsNamingTheSource()
    {
        var error = Assert.Throws<FormatException>(() => FleetKeys.ImportPublic("hello", "peers/b.pub"));

        Assert.Contains("peers/b.pub", error.Message, StringComparison.Ordinal);
    }

    private static string Tamper(string name, string value) => name switch
    {
        "seq" => (long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "kind" => value == "ban" ? "unban" : "ban",
        "target" => "192.0.2.8",
        "issued" or "expires" => "2027-01-01T00:00:00.000Z",
        "evidence" => value + "0",
        _ => value + "x",
    };
}
