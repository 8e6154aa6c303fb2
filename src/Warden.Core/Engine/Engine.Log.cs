using System.Net;
using Microsoft.Extensions.Logging;
using Warden.Core.Bans;

namespace Warden.Core.Engine;

/// <summary>The engine's log events (source-generated; no attacker text in a template).</summary>
public sealed partial class Engine
{
    private static partial class Log
    {
        [LoggerMessage(1000, LogLevel.Information, "Warden started: {Jails} jails, {Sources} sources, {Bans} bans restored into {Firewall}")]
        public static partial void Started(ILogger logger, int jails, int sources, int bans, string firewall);

        [LoggerMessage(1002, LogLevel.Information, "State loaded: {Bans} bans in force, {Failures} stored failures, in {Milliseconds} ms")]
        public static partial void StateLoaded(ILogger logger, int bans, int failures, double milliseconds);

        [LoggerMessage(1001, LogLevel.Information, "Warden stopped after {Lines} lines with {Bans} bans in force")]
        public static partial void Stopped(ILogger logger, long lines, int bans);

        [LoggerMessage(1010, LogLevel.Debug, "[{Jail}] found {Address} ({Count}/{MaxRetry})")]
        public static partial void Found(ILogger logger, string jail, IPAddress address, int count, int maxRetry);

        [LoggerMessage(1011, LogLevel.Debug, "[{Jail}] ignored {Address}: allowlisted")]
        public static partial void Ignored(ILogger logger, string jail, IPAddress address);

        [LoggerMessage(1012, LogLevel.Information, "[{Jail}] {Address} touched {Distinct} distinct destinations: port scan")]
        public static partial void ScanFound(ILogger logger, string jail, IPAddress address, int distinct);

        [LoggerMessage(1020, LogLevel.Warning, "[{Jail}] Ban {Target} until {Expires} ({Origin}, {Failures} failures)")]
        public static partial void Banned(ILogger logger, string jail, string target, DateTimeOffset? expires, BanOrigin origin, int failures);

        [LoggerMessage(1021, LogLevel.Information, "[{Jail}] Unban {Target}: expired")]
        public static partial void Expired(ILogger logger, string jail, string target);

        [LoggerMessage(1022, LogLevel.Warning, "Stored ban of {Target} belongs to jail {Jail}, which is not configured; not restored")]
        public static partial void OrphanBan(ILogger logger, string jail, string target);

        [LoggerMessage(1030, LogLevel.Error, "Firewall {Firewall} failed; the whole state is applied again in {Delay}")]
        public static partial void FirewallFailed(ILogger logger, string firewall, TimeSpan delay, Exception exception);

        [LoggerMessage(1031, LogLevel.Information, "Firewall {Firewall} is back in sync with {Bans} bans")]
        public static partial void FirewallRecovered(ILogger logger, string firewall, int bans);

        [LoggerMessage(1032, LogLevel.Warning, "Firewall {Firewall} drifted ({Drift}); applying the whole state again")]
        public static partial void FirewallDrift(ILogger logger, string firewall, string drift);

        [LoggerMessage(1033, LogLevel.Warning, "Watching firewall {Firewall} for changes failed; relying on the tick")]
        public static partial void FirewallWatchFailed(ILogger logger, string firewall, Exception exception);

        [LoggerMessage(1040, LogLevel.Error, "State store commit failed; retrying with the next batch")]
        public static partial void StoreFailed(ILogger logger, Exception exception);

        [LoggerMessage(1050, LogLevel.Error, "Source {Source} failed; retrying in {Delay}")]
        public static partial void SourceFailed(ILogger logger, string source, TimeSpan delay, Exception exception);

        [LoggerMessage(1051, LogLevel.Information, "Source {Source} ended")]
        public static partial void SourceEnded(ILogger logger, string source);
    }
}
