namespace Warden.Fail2Ban.Actions;

/// <summary>One entry of a jail's <c>action</c> list: an action.d name and its options (<c>iptables-multiport[port="ssh", name=x]</c>).</summary>
/// <param name="Name">The action.d file name without extension.</param>
/// <param name="Options">The options given in brackets, lower-case keys, quotes removed.</param>
public sealed record ActionReference(string Name, IReadOnlyDictionary<string, string> Options);
