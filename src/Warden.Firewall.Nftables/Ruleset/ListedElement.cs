namespace Warden.Firewall.Nftables.Ruleset;

/// <summary>One set element as listed: its value (an address, <c>a/len</c> or <c>first-last</c>) and timeouts in seconds.</summary>
/// <param name="Value">The element's text.</param>
/// <param name="TimeoutSeconds">The timeout it was added with; <c>null</c> for none.</param>
/// <param name="ExpiresSeconds">The time it has left; <c>null</c> for none.</param>
internal readonly record struct ListedElement(string Value, long? TimeoutSeconds, long? ExpiresSeconds);
