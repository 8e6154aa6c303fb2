using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Warden.Core.Engine;

namespace Warden.Cli.Hosting;

/// <summary>
/// The daemon's side of sd_notify(3) without libsystemd: one datagram per state change to the
/// unix socket systemd names in <c>$NOTIFY_SOCKET</c> (a path, or <c>@name</c> for the abstract
/// namespace). <c>READY=1</c> once the engine restored its bans and reads every source (the unit
/// is <c>Type=notify</c>), <c>WATCHDOG=1</c> only after the engine loop answered (so a stuck loop
/// is restarted, not a live timer), <c>STOPPING=1</c> on the way out. Without <c>$NOTIFY_SOCKET</c>
/// (not under systemd) every call does nothing. <see cref="Notify"/> may be called from any thread
/// (signal handlers send STOPPING=1); the run command owns the instance.
/// </summary>
internal sealed partial class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;
    private readonly ILogger _log;
    private bool _failureLogged;

    private SystemdNotifier(string? socketPath, TimeSpan? watchdog, ILogger log)
    {
        _log = log;
        Watchdog = watchdog;
        if (socketPath is { Length: > 0 })
        {
            // sd_notify(3): a leading '@' is the abstract namespace, which .NET spells with a NUL.
            _target = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        }
    }

    /// <summary>How often systemd wants <c>WATCHDOG=1</c> (<c>$WATCHDOG_USEC</c>, when meant for this process); null for never.</summary>
    public TimeSpan? Watchdog { get; }

    /// <summary>
    /// Reads and then unsets <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c>, so
    /// command actions the daemon starts do not inherit them (sd_notify's unset_environment).
    /// </summary>
    public static SystemdNotifier FromEnvironment(ILogger log)
    {
        var socket = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        foreach (var name in (string[])["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"])
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        TimeSpan? watchdog = null;
        var forUs = pid is null || pid == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (forUs && long.TryParse(usec, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var micros) && micros > 0)
        {
            watchdog = TimeSpan.FromMicroseconds(micros);
        }

        return new SystemdNotifier(socket, watchdog, log);
    }

    /// <summary>Sends one state datagram (<c>READY=1</c>, <c>STATUS=...</c>); a failure is logged once, never thrown.</summary>
    public void Notify(string state)
    {
        if (_socket is null)
        {
            return;
        }

        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _target!);
        }
        catch (ObjectDisposedException)
        {
            // Disposed on the way out: nothing is listening for more.
        }
        catch (SocketException ex)
        {
            if (!_failureLogged)
            {
                Log.NotifyFailed(_log, ex.Message);
                _failureLogged = true;
            }
        }
    }

    /// <summary>
    /// Until cancelled, every half watchdog interval asks the engine loop for its status and, once
    /// it answered, sends <c>WATCHDOG=1</c>. Returns at once without a watchdog.
    /// </summary>
    public async Task RunWatchdogAsync(BanEngine engine, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_socket is null || Watchdog is not { } interval)
        {
            return;
        }

        var period = interval / 2;
        try
        {
            while (true)
            {
                // A loop that does not answer within the period gets no ping; systemd then restarts it.
                using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                answer.CancelAfter(period);
                try
                {
                    await engine.StatusAsync(answer.Token);
                    Notify("WATCHDOG=1");
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    Log.LoopSilent(_log, period);
                }

                await Task.Delay(period, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public void Dispose() => _socket?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(60, LogLevel.Warning, "systemd notification not sent: {Error} (further failures are not logged)")]
        public static partial void NotifyFailed(ILogger logger, string error);

        [LoggerMessage(61, LogLevel.Error, "The engine loop did not answer within {Period}; no watchdog ping sent")]
        public static partial void LoopSilent(ILogger logger, TimeSpan period);
    }
}
