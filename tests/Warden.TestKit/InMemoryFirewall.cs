using System.Net;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.TestKit;

/// <summary>
/// A fake <see cref="IFirewall"/> that keeps bans in memory and records calls, for engine tests
/// that are about policy, not about a kernel. Can be told to fail, to exercise retries.
/// </summary>
public sealed class InMemoryFirewall : IFirewall
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
