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
    private readonly List<(bool IsBan, Ban Ban)> _changes = [];

    public bool IsEmpty => _changes.Count == 0;

    public void Ban(Ban ban) => _changes.Add((true, ban));

    public void Unban(Ban ban) => _changes.Add((false, ban));

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
