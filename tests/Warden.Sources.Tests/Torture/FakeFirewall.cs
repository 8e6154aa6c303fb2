using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Sources.Tests.Torture;

/// <summary>A firewall that does nothing: these tests count failures, they never ban.</summary>
internal sealed class FakeFirewall : IFirewall
{
    public string Name => "fake";

    public bool ExpiresBans => true;

    public Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveAllAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
