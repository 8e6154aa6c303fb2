using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Core.Engine;

/// <summary>
/// Firewall changes waiting for the next flush, in the order they were made: bans and lifts are
/// sent as consecutive runs, so a prefix ban is in force before the single bans it replaces are
/// lifted, and an unban followed by a new ban of the same target ends banned. Not thread-safe.
/// </summary>
internal sealed class FirewallQueue
{
    // ReadAt: when the lines that caused the ban were read (a TimeProvider timestamp), 0 for none.
    private readonly List<(bool IsBan, Ban Ban, long ReadAt)> _changes = [];

    public bool IsEmpty => _changes.Count == 0;

    /// <summary>The queued bans caused by lines, with when those lines were read.</summary>
    public IEnumerable<(Ban Ban, long ReadAt)> LineBans => _changes.Where(c => c.IsBan && c.ReadAt != 0).Select(c => (c.Ban, c.ReadAt));

    public void Ban(Ban ban, long readAt) => _changes.Add((true, ban, readAt));

    public void Unban(Ban ban) => _changes.Add((false, ban, 0));

    public void Clear() => _changes.Clear();

    /// <summary>Sends the changes as few batches as their order allows.</summary>
    public async Task SendAsync(IFirewall firewall, CancellationToken cancellationToken)
    {
        var start = 0;
        while (start < _changes.Count)
        {
            var isBan = _changes[start].IsBan;
            var end = start;
            while (end < _changes.Count && _changes[end].IsBan == isBan)
            {
                end++;
            }

            var run = _changes.GetRange(start, end - start).ConvertAll(c => c.Ban);
            if (isBan)
            {
                await firewall.BanAsync(run, cancellationToken);
            }
            else
            {
                await firewall.UnbanAsync(run, cancellationToken);
            }

            start = end;
        }
    }
}
