using Microsoft.Extensions.Logging.Abstractions;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

/// <summary>A network namespace of the test's own with an nftables backend pinned to it; both go on dispose.</summary>
internal sealed class NftablesInNamespace : IDisposable
{
    public NftablesInNamespace(string name)
    {
        Namespace = NetworkNamespace.Create(name);
        Firewall = NftablesFirewall.Create(new NftablesOptions { NetworkNamespace = Namespace.Name }, TimeProvider.System, NullLogger.Instance);
    }

    public NetworkNamespace Namespace { get; }

    public NftablesFirewall Firewall { get; }

    public void Dispose()
    {
        Firewall.Dispose();
        Namespace.Dispose();
    }
}
