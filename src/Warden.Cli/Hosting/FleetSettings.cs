using Warden.Fail2Ban;

namespace Warden.Cli.Hosting;

/// <summary>
/// The <c>[fleet]</c> section of warden.conf: where the fleet's Redis is, who this node is, whose
/// keys it trusts, which jails share and accept, and the receiving policy. Absent section: no
/// fleet. Paths are absolute; the files are read when the daemon starts.
/// </summary>
internal sealed record FleetSettings
{
    /// <summary><c>redis = redis://HOST:PORT</c> or <c>rediss://</c> for TLS.</summary>
    public required Uri Redis { get; init; }

    /// <summary><c>node = NAME</c>: this node's name, as the peers know its key.</summary>
    public required string Node { get; init; }

    /// <summary><c>key_file</c>: this node's private signing key (PEM).</summary>
    public required string KeyFile { get; init; }

    /// <summary><c>peers_dir</c>: the trusted nodes' public keys, <c>NAME.pub</c>.</summary>
    public required string PeersDir { get; init; }

    /// <summary>Where the section starts, for errors found when the files are read.</summary>
    public required ConfigPlace Place { get; init; }

    /// <summary><c>user</c>: the node's Redis ACL user; <c>null</c> for the default user.</summary>
    public string? User { get; init; }

    /// <summary><c>password_file</c>: a file holding the user's password; <c>null</c> for none.</summary>
    public string? PasswordFile { get; init; }

    /// <summary><c>share</c>: jails whose bans are published; <c>null</c> for all.</summary>
    public IReadOnlySet<string>? Share { get; init; }

    /// <summary><c>accept</c>: jails whose remote bans are applied; <c>null</c> for all.</summary>
    public IReadOnlySet<string>? Accept { get; init; }

    /// <summary><c>max_prefix4</c>: the widest IPv4 network accepted from a peer.</summary>
    public int MaxPrefix4 { get; init; } = 24;

    /// <summary><c>max_prefix6</c>: the widest IPv6 network accepted from a peer.</summary>
    public int MaxPrefix6 { get; init; } = 48;

    /// <summary><c>max_bantime</c>: the longest a remote ban lasts here (also the stream's retention).</summary>
    public TimeSpan MaxBanTime { get; init; } = TimeSpan.FromDays(7);

    /// <summary><c>republish</c>: how often own active bans are published again (anti-entropy), so a Redis that lost its data heals.</summary>
    public TimeSpan Republish { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary><c>queue</c>: most own decisions held while Redis is unreachable; older ones beyond it are left to the next republish.</summary>
    public int Queue { get; init; } = 100_000;

    /// <summary>True when both say the same (the jail sets compared by content), or both are absent.</summary>
    public static bool Same(FleetSettings? a, FleetSettings? b) =>
        a is null || b is null
            ? a is null && b is null
            : a with { Share = null, Accept = null, Place = default } == b with { Share = null, Accept = null, Place = default }
                && SameSet(a.Share, b.Share) && SameSet(a.Accept, b.Accept);

    private static bool SameSet(IReadOnlySet<string>? a, IReadOnlySet<string>? b) =>
        a is null || b is null ? a is null && b is null : a.SetEquals(b);
}
