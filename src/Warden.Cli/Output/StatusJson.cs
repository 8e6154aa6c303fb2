namespace Warden.Cli.Output;

/// <summary><c>warden status --json</c>: the daemon (what it runs with: firewall, configuration directory, state file, regex engine), its jails, as fail2ban-client's <c>status</c> and <c>status JAIL</c> tell them, the fleet (<c>null</c> without <c>[fleet]</c>) and the log sources (lines read, cut, dropped).</summary>
internal sealed record StatusJson(
    string Version,
    DateTimeOffset Started,
    string Firewall,
    string ConfigDirectory,
    string StateFile,
    string RegexEngine,
    int BansInForce,
    long Lines,
    long Commits,
    long FirewallErrors,
    long StoreErrors,
    IReadOnlyList<JailJson> Jails,
    Core.Fleet.FleetStatus? Fleet,
    IReadOnlyList<Core.Engine.SourceStatus> Sources);

/// <summary>One jail: <paramref name="Mode"/> is <c>enforce</c> or <c>observe</c> (its bans are "would ban"), <paramref name="Banned"/> the banned list, <paramref name="Failing"/> fail2ban's "currently failed", <paramref name="Failures"/> its "total failed", <paramref name="Bans"/> its "total banned".</summary>
internal sealed record JailJson(
    string Name,
    IReadOnlyList<string> Banned,
    int Failing,
    long Failures,
    long Bans,
    long Ignored,
    long Refused,
    IReadOnlyList<string> Sources,
    string Mode);
