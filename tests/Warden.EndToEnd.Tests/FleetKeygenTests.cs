using Warden.Core.Fleet;
using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary><c>warden fleet keygen</c> of the AOT binary: a usable key pair, the private half 0600, never overwritten.</summary>
public sealed class FleetKeygenTests
{
    [Fact]
    public async Task Keygen_WritesPrivateKey0600AndAPublicKeyThatVerifiesItsSignatures()
    {
        using var dir = new TempDirectory("warden-keygen");
        var keys = Path.Combine(dir.Path, "keys");

        (await Proc.RunAsync(WardenBinary.Path, ["fleet", "keygen", "web1", "--dir", keys])).EnsureSuccess();

        var keyFile = Path.Combine(keys, "web1.key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        using var signer = new FleetSigner("web1", FleetKeys.ImportPrivate(await File.ReadAllTextAsync(keyFile), keyFile));
        using var peers = new PeerKeys(new Dictionary<string, System.Security.Cryptography.ECDsa>
        {
            ["web1"] = FleetKeys.ImportPublic(await File.ReadAllTextAsync(Path.Combine(keys, "web1.pub")), "web1.pub"),
        });
        var now = DateTimeOffset.UtcNow;
        var decision = new FleetDecision("web1", signer.NextSequence(now), DecisionKind.Ban, "sshd", System.Net.IPNetwork.Parse("192.0.2.7/32"), now, now.AddHours(1), "test", "");
        Assert.True(peers.Verify(signer.Sign(decision)));
    }

    [Fact]
    public async Task Keygen_ExistingKey_RefusesAndKeepsIt()
    {
        using var dir = new TempDirectory("warden-keygen");
        (await Proc.RunAsync(WardenBinary.Path, ["fleet", "keygen", "web1", "--dir", dir.Path])).EnsureSuccess();
        var before = await File.ReadAllTextAsync(dir.File("web1.key"));

        var again = await Proc.RunAsync(WardenBinary.Path, ["fleet", "keygen", "web1", "--dir", dir.Path]);

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("web1.key", again.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(dir.File("web1.key")));
    }

    [Fact]
    public async Task Keygen_BadName_IsAUsageError()
    {
        using var dir = new TempDirectory("warden-keygen");

        var result = await Proc.RunAsync(WardenBinary.Path, ["fleet", "keygen", "web 1", "--dir", dir.Path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
