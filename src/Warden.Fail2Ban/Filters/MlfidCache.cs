namespace Warden.Fail2Ban.Filters;

/// <summary>
/// The per-filter cache of multi-line failures by their MLFID (fail2ban's
/// <c>Utils.Cache(maxCount=100, maxTime=5*60)</c> in server/filter.py): at most 100 entries, each
/// living 5 minutes; when full, the oldest entries are dropped first. Not thread-safe.
/// </summary>
internal sealed class MlfidCache(TimeProvider time)
{
    private const int MaxCount = 100;
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, LinkedListNode<(string Key, FailData Data, long Expires)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, FailData Data, long Expires)> _order = new();

    public FailData? Get(string key)
    {
        if (!_index.TryGetValue(key, out var node))
        {
            return null;
        }

        if (node.Value.Expires > time.GetTimestamp())
        {
            return node.Value.Data;
        }

        Unset(key);
        return null;
    }

    public void Set(string key, FailData data)
    {
        var now = time.GetTimestamp();
        if (_index.Count >= MaxCount)
        {
            // Drop from the oldest until one unexpired entry has been dropped with room left (utils.py Cache.set).
            while (_order.First is { } first)
            {
                _order.RemoveFirst();
                _index.Remove(first.Value.Key);
                if (first.Value.Expires > now && _index.Count < MaxCount)
                {
                    break;
                }
            }
        }

        Unset(key);
        var expires = now + (long)(MaxAge.TotalSeconds * time.TimestampFrequency);
        _index[key] = _order.AddLast((key, data, expires));
    }

    public void Unset(string key)
    {
        if (_index.Remove(key, out var node))
        {
            _order.Remove(node);
        }
    }
}
