using System.Diagnostics.CodeAnalysis;

namespace Warden.Core.Jails;

/// <summary>
/// The running jails, in configuration order, found by name; the recidive jails (those that
/// count bans, <see cref="JailPolicy.CountsBans"/>) apart. Immutable; a reload makes a new one
/// from the jails kept and added, so an unchanged jail keeps its failure counts.
/// </summary>
public sealed class JailSet
{
    private readonly Dictionary<string, Jail> _byName;

    /// <summary>Creates the set; jail names must be distinct.</summary>
    /// <exception cref="ArgumentException">Two jails share a name.</exception>
    public JailSet(IReadOnlyList<Jail> jails)
    {
        ArgumentNullException.ThrowIfNull(jails);
        All = jails;
        _byName = new Dictionary<string, Jail>(StringComparer.Ordinal);
        foreach (var jail in jails)
        {
            if (!_byName.TryAdd(jail.Name, jail))
            {
                throw new ArgumentException($"two jails are named '{jail.Name}'", nameof(jails));
            }
        }

        Recidive = [.. jails.Where(j => j.Policy.CountsBans)];
    }

    /// <summary>Every jail, in configuration order.</summary>
    public IReadOnlyList<Jail> All { get; }

    /// <summary>The jails fed by the bans of the others.</summary>
    public IReadOnlyList<Jail> Recidive { get; }

    /// <summary>Finds a jail by name.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out Jail? jail) => _byName.TryGetValue(name, out jail);
}
