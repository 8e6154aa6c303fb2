namespace Warden.Fleet.Redis;

/// <summary>Where and how the node reaches the fleet's Redis (<c>[fleet]</c> in warden.conf).</summary>
public sealed record RedisFleetOptions
{
    /// <summary><c>redis://HOST:PORT</c>, or <c>rediss://HOST:PORT</c> for TLS.</summary>
    public required Uri Url { get; init; }

    /// <summary>This node's name (the connection's client name).</summary>
    public required string Node { get; init; }

    /// <summary>The node's Redis ACL user; <c>null</c> for the default user.</summary>
    public string? User { get; init; }

    /// <summary>The user's password (read from <c>password_file</c>); <c>null</c> for none.</summary>
    public string? Password { get; init; }

    /// <summary>How long entries stay in the stream: the longest ban (<c>max_bantime</c>), after which an entry can ban nobody.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Prefix of the keys: the stream is the prefix itself, then <c>:snapshot</c>, <c>:epoch</c> and the wake channel <c>:wake</c>.</summary>
    public string Keys { get; init; } = "warden:decisions";

    /// <summary>How long a connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
