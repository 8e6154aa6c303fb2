using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban.Actions;

/// <summary>
/// An action.d action as a jail uses it: its options after fail2ban's layering, [Init] merging
/// and configuration-time tag substitution (client/actionreader.py getCombined). Commands still
/// hold the tags that depend on the family and on the ban (<c>&lt;ip&gt;</c>, <c>&lt;matches&gt;</c>...);
/// <see cref="Command"/> resolves the family ones. Immutable.
/// </summary>
/// <param name="Name">The action's name in the jail (fail2ban's <c>actname</c>).</param>
/// <param name="File">The action.d file name without extension (<c>iptables-multiport</c>).</param>
/// <param name="Properties">Every option, including conditional ones (<c>blocktype?family=inet6</c>).</param>
public sealed record ActionDefinition(string Name, string File, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>The operations fail2ban's CommandAction knows (server/action.py).</summary>
    public static readonly IReadOnlyList<string> Operations =
        ["actionstart", "actionstop", "actioncheck", "actionban", "actionunban", "actionflush", "actionrepair", "actionprolong", "actionreban", "actionreload"];

    // Tags fail2ban never resolves at configuration time: they come from the ban (actionreader.py convert).
    internal static readonly IReadOnlySet<string> BanTags = new HashSet<string>(StringComparer.Ordinal)
    {
        "matches", "ipmatches", "ipjailmatches", "timeout", "bantime",
    };

    /// <summary>True when some option has a per-family variant; fail2ban then starts the action per family, on demand.</summary>
    public bool HasConditional => Properties.Keys.Any(k => k.Contains("?family=", StringComparison.Ordinal));

    /// <summary>fail2ban's <c>actionstart_on_demand</c>: explicit, else <see cref="HasConditional"/>.</summary>
    public bool StartOnDemand => Properties.TryGetValue("actionstart_on_demand", out var v) ? IsTrue(v) : HasConditional;

    /// <summary>fail2ban's <c>norestored</c>: skip the ban command for bans restored at start (mail actions set it).</summary>
    public bool NoRestored => Properties.TryGetValue("norestored", out var v) && IsTrue(v);

    /// <summary>The command <c>timeout</c> (default 60 s).</summary>
    public string Timeout => Properties.GetValueOrDefault("timeout") ?? "60";

    /// <summary>
    /// The command of <paramref name="operation"/> for <paramref name="family"/> (<c>inet4</c> or
    /// <c>inet6</c>) with every configuration tag replaced, conditional values first (server/action.py
    /// replaceTag); ban tags stay. <c>null</c> when the action has no such operation.
    /// </summary>
    public string? Command(string operation, string family)
    {
        if (!Properties.TryGetValue(operation, out var command) || string.IsNullOrWhiteSpace(command))
        {
            return null;
        }

        var options = Properties.Append(KeyValuePair.Create("family", family));
        var resolved = TagSubstitution.Substitute(options, BuiltIn, BanTags, "family=" + family);
        return resolved[operation];
    }

    /// <summary>Tags fail2ban fills whatever the configuration says (action.py ADD_REPL_TAGS).</summary>
    private static string? BuiltIn(string tag) => tag switch
    {
        "br" => "\n",
        "sp" => " ",
        "fq-hostname" => FullHostName(),
        "sh-hostname" => System.Net.Dns.GetHostName().Split('.')[0],
        _ => null,
    };

    private static string FullHostName()
    {
        try
        {
            return System.Net.Dns.GetHostEntry(System.Net.Dns.GetHostName()).HostName;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return System.Net.Dns.GetHostName();
        }
    }

    private static bool IsTrue(string value) => value.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";
}
