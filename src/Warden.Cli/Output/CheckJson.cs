namespace Warden.Cli.Output;

/// <summary><c>warden check --json</c>: the files read, every problem, and what each usable jail does.</summary>
internal sealed record CheckJson(
    bool Ok,
    string Location,
    IReadOnlyList<string> Files,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Errors,
    IReadOnlyList<CheckJailJson> Jails,
    string Firewall,
    string State);

/// <summary>One usable jail as <c>warden check</c> reads it.</summary>
internal sealed record CheckJailJson(
    string Name,
    string Filter,
    int MaxRetry,
    double FindTime,
    double? BanTime,
    string Logs,
    string EnforcedBy);
