using System.Net;
using Microsoft.Extensions.Logging;
using Warden.Core.Bans;

namespace Warden.Core.Policy;

/// <summary>The decisions' log events (source-generated; no attacker text in a template).</summary>
public sealed partial class BanDecisions
{
    private static partial class Log
    {
        [LoggerMessage(1010, LogLevel.Debug, "[{Jail}] found {Address} ({Count}/{MaxRetry})")]
        public static partial void Found(ILogger logger, string jail, IPAddress address, int count, int maxRetry);

        [LoggerMessage(1011, LogLevel.Debug, "[{Jail}] ignored {Address}: allowlisted")]
        public static partial void Ignored(ILogger logger, string jail, IPAddress address);

        [LoggerMessage(1012, LogLevel.Information, "[{Jail}] {Address} touched {Distinct} distinct destinations: port scan")]
        public static partial void ScanFound(ILogger logger, string jail, IPAddress address, int distinct);

        [LoggerMessage(1020, LogLevel.Warning, "[{Jail}] Ban {Target} until {Expires} ({Origin}, {Failures} failures)")]
        public static partial void Banned(ILogger logger, string jail, string target, string expires, BanOrigin origin, int failures);

        [LoggerMessage(1027, LogLevel.Warning, "[{Jail}] Would ban {Target} until {Expires} ({Origin}, {Failures} failures; the jail observes: no firewall change)")]
        public static partial void WouldBan(ILogger logger, string jail, string target, string expires, BanOrigin origin, int failures);

        [LoggerMessage(1021, LogLevel.Information, "[{Jail}] Unban {Target}: expired")]
        public static partial void Expired(ILogger logger, string jail, string target);

        [LoggerMessage(1100, LogLevel.Warning, "[{Jail}] refused to ban {Target} ({Origin}): {Refusal}")]
        public static partial void Refused(ILogger logger, string jail, string target, BanOrigin origin, BanRefusal refusal);

        [LoggerMessage(1101, LogLevel.Information, "[{Jail}] ignored {Address}: ignorecommand said so")]
        public static partial void IgnoredByCommand(ILogger logger, string jail, IPAddress address);

        [LoggerMessage(1102, LogLevel.Information, "[{Jail}] {Target} was banned {Prior} time(s) before: ban time {BaseTime} increased to {BanTime}")]
        public static partial void Escalated(ILogger logger, string jail, string target, int prior, TimeSpan? baseTime, TimeSpan? banTime);

        [LoggerMessage(1103, LogLevel.Warning, "[{Jail}] {Count} banned addresses of {Prefix}: the prefix is banned instead")]
        public static partial void Aggregated(ILogger logger, string jail, string prefix, int count);

        [LoggerMessage(1104, LogLevel.Error, "Ban history unreadable; banning for the base time")]
        public static partial void HistoryFailed(ILogger logger, Exception exception);

        [LoggerMessage(1110, LogLevel.Warning, "[{Jail}] Unban {Target}: lifted by an admin")]
        public static partial void Unbanned(ILogger logger, string jail, string target);

        [LoggerMessage(1111, LogLevel.Warning, "All {Count} bans lifted by an admin")]
        public static partial void UnbannedAll(ILogger logger, int count);
    }
}
