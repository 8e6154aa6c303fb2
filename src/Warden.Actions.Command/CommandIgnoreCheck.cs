using System.Net;
using Microsoft.Extensions.Logging;
using Warden.Core.Addresses;
using Warden.Core.Ports;

namespace Warden.Actions.Command;

/// <summary>
/// fail2ban's <c>ignorecommand</c> (server/filter.py inIgnoreIPList): the command, with
/// <c>&lt;ip&gt;</c> passed through the environment, exits 0 for "ignore this address" and 1 for
/// "do not"; anything else is an error, logged, and the address is not ignored. Thread-safe.
/// </summary>
public sealed partial class CommandIgnoreCheck : IIgnoreCheck
{
    private readonly string _command;
    private readonly TimeSpan _timeout;
    private readonly ILogger _log;

    /// <summary>Creates the check from the jail's <c>ignorecommand</c> (configuration tags already replaced).</summary>
    public CommandIgnoreCheck(string command, TimeSpan timeout, ILogger logger)
    {
        _command = command ?? throw new ArgumentNullException(nameof(command));
        _timeout = timeout;
        _log = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public async Task<bool> IsIgnoredAsync(string jail, IPAddress address, CancellationToken cancellationToken)
    {
        var ip = AddressParsing.Normalize(address).ToString();
        var (script, environment) = ShellTemplate.Render(_command, tag => tag is "ip" or "fid" ? ip : null);
        try
        {
            var (exitCode, output) = await ShellRunner.RunAsync("ignorecommand", script, environment, _timeout, cancellationToken);
            if (exitCode is 0 or 1)
            {
                return exitCode == 0;
            }

            Log.Failed(_log, jail, exitCode, output);
        }
        catch (FirewallException ex)
        {
            Log.Failed(_log, jail, ex.ExitCode, ex.Error);
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(5010, LogLevel.Error, "[{Jail}] ignorecommand exited {ExitCode}: {Output}; the address is not ignored")]
        public static partial void Failed(ILogger logger, string jail, int exitCode, string output);
    }
}
