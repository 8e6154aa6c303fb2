namespace Warden.Core.Bans;

/// <summary>
/// The storage under <see cref="BanBook"/>: IPv4 bans keyed by one 64-bit number (address and
/// <see cref="BanKey.Meta"/>), 40 bytes a dictionary entry, and the rarer IPv6 bans by the full
/// <see cref="BanKey"/>, 56 bytes. Both grow by a quarter, not by doubling. Not thread-safe.
/// </summary>
internal sealed class BanTable
{
    private readonly Dictionary<ulong, BanSlot> _v4 = [];
    private readonly Dictionary<BanKey, BanSlot> _v6 = [];

    public int Count => _v4.Count + _v6.Count;

    /// <summary>Every entry, IPv4 first; removing the current entry while enumerating is allowed.</summary>
    public IEnumerable<(BanKey Key, BanSlot Slot)> Entries
    {
        get
        {
            foreach (var (packed, slot) in _v4)
            {
                yield return (Unpack(packed), slot);
            }

            foreach (var (key, slot) in _v6)
            {
                yield return (key, slot);
            }
        }
    }

    public void EnsureCapacity(int v4, int v6)
    {
        _v4.EnsureCapacity(v4);
        _v6.EnsureCapacity(v6);
    }

    public bool TryGetValue(BanKey key, out BanSlot slot) =>
        key.IsV6 ? _v6.TryGetValue(key, out slot) : _v4.TryGetValue(Pack(key), out slot);

    public void Set(BanKey key, BanSlot slot)
    {
        if (key.IsV6)
        {
            Set(_v6, key, slot);
        }
        else
        {
            Set(_v4, Pack(key), slot);
        }
    }

    public bool Remove(BanKey key) => key.IsV6 ? _v6.Remove(key) : _v4.Remove(Pack(key));

    public void TrimExcess()
    {
        _v4.TrimExcess();
        _v6.TrimExcess();
    }

    private static void Set<TKey>(Dictionary<TKey, BanSlot> bans, TKey key, BanSlot slot)
        where TKey : notnull
    {
        if (bans.Count == bans.Capacity && !bans.ContainsKey(key))
        {
            // Grow by a quarter, not the dictionary's own doubling: at 100,000 bans that would
            // leave room for 175,000 (3 MB more) where 25,000 spare are plenty.
            bans.EnsureCapacity(bans.Count + (bans.Count / 4) + 16);
        }

        bans[key] = slot;
    }

    // An IPv4 key has no high bits: its address and meta fit one number.
    private static ulong Pack(BanKey key) => ((ulong)(uint)key.Meta << 32) | (uint)key.Low;

    private static BanKey Unpack(ulong packed) => new(0, (uint)packed, (int)(packed >> 32));
}
