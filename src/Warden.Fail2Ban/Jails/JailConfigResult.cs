namespace Warden.Fail2Ban.Jails;

/// <summary>What reading a configuration directory's jails gave: the usable jails and every problem found.</summary>
/// <param name="Jails">Enabled jails without errors.</param>
/// <param name="Errors">Problems that disable a jail (or, without a jail, the whole file).</param>
/// <param name="Warnings">Problems that do not stop anything.</param>
/// <param name="Files">The files read, in layering order.</param>
public sealed record JailConfigResult(
    IReadOnlyList<JailDefinition> Jails,
    IReadOnlyList<ConfigError> Errors,
    IReadOnlyList<ConfigError> Warnings,
    IReadOnlyList<string> Files);
