using System.Net;
using System.Security.Cryptography;
using Warden.Core.Addresses;
using Warden.Core.Fleet;

namespace Warden.Core.Tests.Fleet;

/// <summary>Key pairs and signed decisions for the fleet tests.</summary>
internal static class FleetTestKeys
{
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 7, 0, 0, TimeSpan.Zero);

    public static FleetSigner Signer(string node, out FleetKeys keys)
    {
        keys = FleetKeys.Generate();
        return new FleetSigner(node, FleetKeys.ImportPrivate(keys.PrivatePem, node));
    }

    public static PeerKeys Peers(params (string Name, FleetKeys Keys)[] peers) =>
        new(peers.ToDictionary(p => p.Name, p => FleetKeys.ImportPublic(p.Keys.PublicPem, p.Name)));

    public static FleetDecision Ban(FleetSigner signer, string target, TimeSpan? duration = null, string jail = "sshd", DateTimeOffset? issued = null)
    {
        var at = issued ?? Now;
        Assert.True(AddressParsing.TryParseNetwork(target, out var network));
        return new FleetDecision(signer.Node, signer.NextSequence(at), DecisionKind.Ban, jail, network, at, at + (duration ?? TimeSpan.FromHours(1)), "sshd: 5 failures", "ab12");
    }

    public static FleetDecision Unban(FleetSigner signer, string target, string jail = "sshd") =>
        new(signer.Node, signer.NextSequence(Now), DecisionKind.Unban, jail, IPNetwork.Parse(target), Now, null, "admin", "");

    public static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);
}
