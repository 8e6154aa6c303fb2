using Warden.Core.Jails;
using Warden.Fail2Ban.Actions;
using Warden.Fail2Ban.Config;

namespace Warden.Fail2Ban.Jails;

/// <summary>An enabled, valid jail as read from jail.conf and its layers.</summary>
/// <param name="Policy">Counting and ban policy.</param>
/// <param name="Filter">The filter reference as written (<c>sshd</c>, <c>sshd[mode=aggressive]</c>).</param>
/// <param name="FilterLocation">Where the filter setting (or the section, when defaulted) was written.</param>
/// <param name="LogPaths">Log paths or globs, in order.</param>
/// <param name="LogPathLocation">Where <c>logpath</c> was written.</param>
/// <param name="LogSource">How the jail reads its log: fail2ban's <c>backend</c> (<c>auto</c>, <c>polling</c>, <c>systemd</c>, ...), without its <c>[options]</c>.</param>
public sealed record JailDefinition(
    JailPolicy Policy,
    string Filter,
    ConfigPlace FilterLocation,
    IReadOnlyList<string> LogPaths,
    ConfigPlace LogPathLocation,
    LogSourceKind LogSource)
{
    /// <summary>The jail's name.</summary>
    public string Name => Policy.Name;

    /// <summary>The jail's <c>action</c> entries as written (after interpolation), in order.</summary>
    public IReadOnlyList<ConfigReference> Actions { get; init; } = [];

    /// <summary>Where <c>action</c> was written.</summary>
    public ConfigPlace? ActionLocation { get; init; }

    /// <summary>The actions read from action.d, one per entry of <see cref="Actions"/> that could be read.</summary>
    public IReadOnlyList<ActionDefinition> ActionDefinitions { get; init; } = [];

    /// <summary>fail2ban's <c>ignorecommand</c> (tags such as <c>&lt;ip&gt;</c> not yet replaced), or <c>null</c>.</summary>
    public string? IgnoreCommand { get; init; }

    /// <summary>fail2ban's <c>usedns</c>: <c>yes</c>, <c>warn</c> (default), <c>no</c> or <c>raw</c>; for the filter.</summary>
    public UseDns UseDns { get; init; } = UseDns.Warn;

    /// <summary>A port-scan jail's NFLOG group (<c>nflog = N</c>), read over netlink besides any logpath; null for none.</summary>
    public int? NflogGroup { get; init; }

    /// <summary>
    /// Entries of <see cref="LogPaths"/> written with fail2ban's <c>head</c> option: a first run
    /// reads them from their start instead of their end.
    /// </summary>
    public IReadOnlyList<string> HeadPaths { get; init; } = [];

    /// <summary>The journal or command the jail reads besides (or, for the journal, instead of) <see cref="LogPaths"/>.</summary>
    public JailSources Sources { get; init; } = JailSources.FilesOnly;

    /// <summary>The jail's options as fail2ban passes them to actions (interpolated, lower-case keys).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}
