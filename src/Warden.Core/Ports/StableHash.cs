using System.Text;

namespace Warden.Core.Ports;

/// <summary>
/// FNV-1a over a name's UTF-8 bytes: the same on every run and machine (string.GetHashCode is
/// randomised per process), so a backend derives the same object name (set, ipset, pf table)
/// from a jail name that is too long or has characters the firewall refuses. Changing it would
/// orphan the objects of running hosts.
/// </summary>
public static class StableHash
{
    /// <summary>The 32-bit FNV-1a hash of <paramref name="text"/>.</summary>
    /// <param name="text">The name.</param>
    public static uint Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
