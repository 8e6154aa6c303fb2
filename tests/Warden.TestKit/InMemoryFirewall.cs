using System.Net;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.TestKit;

/// <summary>
/// A fake <see cref="IFirewall"/> that keeps bans in memory and records calls, for engine tests
/// that are about policy, not about a kernel. Can be told to fail, to exercise retries. Lists its
/// bans back as the native backends do (<see cref="IFirewallReadBack"/>), keeping each ban's expiry.
/// </summary>
public sealed class InMemoryFirewall : IFirewall, IFirewallReadBack
{
    private readonly Dictionary<(string Jail, IPNetwork Target), Ban> _bans = [];

    /// <inheritdoc />
    public string Name => "in-memory fake";

    /// <inheritdoc />
    public bool ExpiresBans { get; set; } = true;

    /// <summary>When set, every call throws a <see cref="FirewallException"/>.</summary>
    public bool Broken { get; set; }

    /// <summary>Calls made, in order: "apply", "ban", "unban", "remove".</summary>
    public List<string> Calls { get; } = [];

    /// <summary>Bans the firewall holds now.</summary>
    public IReadOnlyCollection<Ban> Bans
    {
        get
        {
            lock (_bans)
            {
                return [.. _bans.Values];
            }
        }
    }

    /// <summary>True when some held ban covers the address.</summary>
    public bool Holds(string address)
    {
        var ip = IPAddress.Parse(address);
        return Bans.Any(b => b.Target.Contains(ip));
    }

    /// <inheritdoc />
    public Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        Record("apply");
        lock (_bans)
        {
            _bans.Clear();
            foreach (var ban in bans)
            {
                _bans[(ban.Jail, ban.Target)] = ban;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken)
    {
        Record("ban");
        lock (_bans)
        {
            foreach (var ban in bans)
            {
                _bans[(ban.Jail, ban.Target)] = ban;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken)
    {
        Record("unban");
        lock (_bans)
        {
            foreach (var ban in bans)
            {
                _bans.Remove((ban.Jail, ban.Target));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Ban>> ReadBansAsync(IReadOnlyList<FirewallJail> jails, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Not in Calls (tests count the changes); a broken firewall cannot list either.
        if (Broken)
        {
            throw new FirewallException(Name, "list", "told to fail");
        }

        var names = jails.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<Ban>>([.. Bans.Where(b => names.Contains(b.Jail) && b.IsActiveAt(now))]);
    }

    /// <summary>Puts bans in the firewall without the engine, as a previous run would have left them.</summary>
    public void Hold(IEnumerable<Ban> bans)
    {
        lock (_bans)
        {
            foreach (var ban in bans)
            {
                _bans[(ban.Jail, ban.Target)] = ban;
            }
        }
    }

    /// <inheritdoc />
    public Task RemoveAllAsync(CancellationToken cancellationToken)
    {
        Record("remove");
        lock (_bans)
        {
            _bans.Clear();
        }

        return Task.CompletedTask;
    }

    private void Record(string call)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }

        if (Broken)
        {
            throw new FirewallException(Name, call, "told to fail");
        }
    }
}
