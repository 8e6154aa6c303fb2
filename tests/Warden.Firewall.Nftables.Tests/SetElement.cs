namespace Warden.Firewall.Nftables.Tests;

/// <summary>A set element as nft lists it; timeouts in seconds.</summary>
internal sealed record SetElement(string Value, long? TimeoutSeconds, long? ExpiresSeconds);
