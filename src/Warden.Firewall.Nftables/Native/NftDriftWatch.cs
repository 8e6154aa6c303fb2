namespace Warden.Firewall.Nftables.Native;

/// <summary>
/// Notices changes to Warden's table made by anyone else, without ever listing set elements:
/// <list type="bullet">
/// <item>a netlink socket subscribed to NFNLGRP_NFTABLES sees every committed change; one that
/// names table inet warden is foreign, because the socket is closed during Warden's own commits
/// (so they cost no notifications either);</item>
/// <item>around each own commit the ruleset generation must advance by exactly one; more means
/// someone committed while the socket was closed;</item>
/// <item>the table's handle and use count (chains + sets) must be what the last apply left:
/// a cheap backstop for lost or overflowed notifications.</item>
/// </list>
/// Not thread-safe: lives on the worker thread, in the worker's namespace.
/// </summary>
internal sealed class NftDriftWatch : IDisposable
{
    private const string Table = NftablesOptions.TableName;
    private readonly NetlinkSocket _requests = NetlinkSocket.Open();
    private readonly byte[] _buffer = new byte[256 * 1024];
    private NetlinkSocket? _events;
    private (ulong Handle, uint Use)? _expected;
    private string? _drift;
    private bool _signalled;
    private uint _sequence;

    /// <summary>Runs Warden's own commit with the watch suspended and checks nobody else committed meanwhile.</summary>
    public NftResult Commit(Func<NftResult> commit, CommitKind kind)
    {
        var before = Generation();
        Drain();
        _events?.Dispose();
        _events = null;
        var result = commit();
        _events = NetlinkSocket.Open(NetlinkMessages.NfnlGroupNftables);
        var after = Generation();
        var expected = result.Succeeded ? before + 1 : before;
        if (after != expected)
        {
            _drift ??= $"the ruleset generation went from {before} to {after} around Warden's own commit: another process changed it meanwhile";
        }

        if (result.Succeeded && kind == CommitKind.Apply)
        {
            _expected = TableState();
        }
        else if (result.Succeeded && kind == CommitKind.Remove)
        {
            // Nothing of Warden's is left to watch.
            _expected = null;
            _drift = null;
            _signalled = false;
        }

        return result;
    }

    /// <summary>What changed behind Warden's back since the last call, or null.</summary>
    public string? Take()
    {
        Look();
        var drift = _drift;
        _drift = null;
        _signalled = false;
        return drift;
    }

    /// <summary>True once per newly seen drift (until <see cref="Take"/>): the cheap poll behind WhenChangedAsync.</summary>
    public bool Poll()
    {
        Look();
        if (_drift is null || _signalled)
        {
            return false;
        }

        _signalled = true;
        return true;
    }

    public void Dispose()
    {
        _events?.Dispose();
        _requests.Dispose();
    }

    private void Look()
    {
        if (_expected is not { } expected)
        {
            return;
        }

        Drain();
        var actual = TableState();
        if (actual is null)
        {
            _drift ??= "table inet warden is gone";
        }
        else if (actual != expected)
        {
            _drift ??= $"table inet warden was replaced or lost chains or sets (handle {expected.Handle}->{actual.Value.Handle}, objects {expected.Use}->{actual.Value.Use})";
        }
    }

    private void Drain()
    {
        if (_events is null)
        {
            return;
        }

        while (true)
        {
            var n = _events.Receive(_buffer, wait: false);
            if (n == 0)
            {
                return;
            }

            if (n == -NetlinkSocket.ENoBufs)
            {
                _drift ??= "netfilter change notifications overflowed; table inet warden may have changed";
                continue;
            }

            if (n < 0)
            {
                _drift ??= $"reading netfilter notifications failed: errno {-n}";
                return;
            }

            if (NetlinkMessages.Touches(_buffer.AsSpan(0, n), NetlinkMessages.NfprotoInet, Table))
            {
                _drift ??= "table inet warden was changed by another process";
            }
        }
    }

    private uint Generation()
    {
        foreach (var datagram in Ask(NetlinkMessages.GetGeneration(++_sequence)))
        {
            if (NetlinkMessages.Generation(datagram) is { } generation)
            {
                return generation;
            }
        }

        throw new Core.Ports.FirewallException("nftables", "NFT_MSG_GETGEN", "the kernel sent no ruleset generation");
    }

    private (ulong Handle, uint Use)? TableState()
    {
        foreach (var datagram in Ask(NetlinkMessages.GetTable(++_sequence, NetlinkMessages.NfprotoInet, Table)))
        {
            if (NetlinkMessages.Table(datagram) is { } table)
            {
                return table;
            }
        }

        return null;
    }

    // Sends a request and collects datagrams up to the ACK or error that ends the answer.
    private List<byte[]> Ask(byte[] request)
    {
        _requests.Send(request);
        var answers = new List<byte[]>();
        while (true)
        {
            var n = _requests.Receive(_buffer, wait: true);
            if (n <= 0)
            {
                throw new Core.Ports.FirewallException("nftables", "netlink request", $"netlink receive failed: errno {-n}");
            }

            var datagram = _buffer.AsSpan(0, n).ToArray();
            answers.Add(datagram);
            if (NetlinkMessages.Error(datagram) is not null)
            {
                return answers;
            }
        }
    }
}
