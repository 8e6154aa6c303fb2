using Warden.Core.Jails;

namespace Warden.Fail2Ban.Jails;

/// <summary>An enabled, valid jail as read from jail.conf and its layers.</summary>
/// <param name="Policy">Counting and ban policy.</param>
/// <param name="Filter">The filter reference as written (<c>sshd</c>, <c>sshd[mode=aggressive]</c>).</param>
/// <param name="FilterLocation">Where the filter setting (or the section, when defaulted) was written.</param>
/// <param name="LogPaths">Log paths or globs, in order.</param>
/// <param name="LogPathLocation">Where <c>logpath</c> was written.</param>
/// <param name="Backend">fail2ban's <c>backend</c> (<c>auto</c>, <c>polling</c>, <c>systemd</c>, ...).</param>
public sealed record JailDefinition(
    JailPolicy Policy,
    string Filter,
    ConfigError FilterLocation,
    IReadOnlyList<string> LogPaths,
    ConfigError LogPathLocation,
    string Backend)
{
    /// <summary>The jail's name.</summary>
    public string Name => Policy.Name;
}
