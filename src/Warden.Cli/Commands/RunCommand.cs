using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Warden.Cli.Hosting;
using Warden.Core.Engine;
using Warden.Core.Ports;
using Warden.Fail2Ban;
using Warden.Fail2Ban.Pcre2;
using Warden.Store.Sqlite;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden run</c>: the daemon in the foreground. SIGTERM or SIGINT stop it cleanly (last
/// commit written); bans stay in the kernel with their timeouts unless flush_on_stop is set.
/// </summary>
internal static partial class RunCommand
{
    public static Command Create()
    {
        var configDir = CommonOptions.ConfigDir();
        var logLevel = CommonOptions.LogLevel();
        var command = new Command("run", "Run the daemon in the foreground") { configDir, logLevel };
        command.SetAction((result, cancellationToken) =>
            RunAsync(result.GetValue(configDir), result.GetValue(logLevel)!, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? configDir, string logLevel, CancellationToken cancellationToken)
    {
        if (!Logging.TryParseLevel(logLevel, out var level))
        {
            await Console.Error.WriteLineAsync($"error: unknown log level '{logLevel}'");
            return 2;
        }

        using var logs = Logging.Create(level);
        var log = logs.CreateLogger("Warden");
        var time = TimeProvider.System;
        WardenConfig config;
        try
        {
            config = WardenConfig.Load(ConfigLocation.Resolve(configDir), time);
        }
        catch (ConfigException ex)
        {
            Log.ConfigError(log, ex.Error.ToString());
            return 1;
        }

        foreach (var warning in config.Warnings)
        {
            Log.ConfigWarning(log, warning.ToString());
        }

        // Loading the filters compiled every pattern: a JIT the system refused is said once.
        if (RegexEngine.JitRefusal is { } jitRefused)
        {
            Log.ConfigWarning(log, jitRefused);
        }

        foreach (var error in config.Errors)
        {
            Log.JailOff(log, error.ToString());
        }

        if (!Backends.Names.Contains(config.Settings.Firewall))
        {
            return 1;
        }

        if (config.Jails.Count == 0)
        {
            Log.NoJail(log, config.Location.ToString());
            return 1;
        }

        if (config.FirewallProblem is { } problem)
        {
            Log.FirewallUnusable(log, problem);
            return 1;
        }

        SqliteStateStore store;
        try
        {
            store = SqliteStateStore.Open(config.Settings.StatePath);
        }
        catch (StateStoreException ex)
        {
            Log.StoreUnusable(log, ex.Message);
            return 1;
        }

        if (store.Created)
        {
            Log.StoreCreated(log, store.Path);
        }

        using (store)
        {
            var (firewall, monitor) = Enforcement.Create(config.Jails, config.Settings, () => Backends.Create(config.Settings, logs, time), logs, time);
            var (jails, bindings) = LogSources.Bind(config.Jails, logs, time);
            var options = new EngineOptions { Allowlist = HostAddresses.Allowlist(config.Settings), History = config.Settings.History };
            var engine = new BanEngine(jails, bindings, firewall, monitor, store, store, time, logs.CreateLogger("Warden.Engine"), options, evidence: store);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
            using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
            try
            {
                using var systemd = SystemdNotifier.FromEnvironment(log);
                await RunWithApiAsync(engine, jails, config.Settings, systemd, time, log, stop.Token);
            }
            catch (Exception ex) when (ex is FirewallException or StateStoreException or LogSourceException)
            {
                Log.Fatal(log, ex.Message, ex);
                return 1;
            }

            if (config.Settings.FlushOnStop)
            {
                await firewall.RemoveAllAsync(CancellationToken.None);
            }

            if (firewall is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        return 0;
    }

    /// <summary>
    /// Runs the engine; once it has started, serves the admin API, keeps ignoreip host names
    /// resolved and, unless <c>compact_memory = no</c>, hands memory back after bursts.
    /// </summary>
    private static async Task RunWithApiAsync(BanEngine engine, IReadOnlyList<Core.Jails.Jail> jails, WardenSettings settings, SystemdNotifier systemd, TimeProvider time, ILogger log, CancellationToken stop)
    {
        var run = engine.RunAsync(stop);
        await Task.WhenAny(engine.Started, run);
        if (!engine.Started.IsCompletedSuccessfully)
        {
            await run;
            return;
        }

        // Type=notify: started means the stored bans are back in the firewall and every source is read.
        systemd.Notify($"READY=1\nSTATUS={engine.Jails.Count} jails, firewall {settings.Firewall}");

        Web.ApiServer? api = null;
        try
        {
            api = await Web.ApiServer.StartAsync(engine, new Web.ApiOptions { Socket = settings.ApiSocket, Version = VersionCommand.Describe() }, log, stop);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            Log.ApiUnavailable(log, settings.ApiSocket, ex.Message);
        }

        // Stopped with the engine, also when it stops on an error rather than a signal.
        using var helpers = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var refresh = IgnoreHosts.RefreshAsync(engine, jails, time, log, helpers.Token);
        var compaction = settings.CompactMemory ? MemoryCompaction.RunAsync(engine, time, log, helpers.Token) : Task.CompletedTask;
        var watchdog = systemd.RunWatchdogAsync(engine, time, helpers.Token);
        try
        {
            await run;
        }
        finally
        {
            systemd.Notify("STOPPING=1");
            await helpers.CancelAsync();
            await refresh;
            await compaction;
            await watchdog;
            if (api is not null)
            {
                await api.DisposeAsync();
            }
        }
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        // Handle the signal ourselves: finish the current batch, commit, then exit 0.
        context.Cancel = true;
        stop.Cancel();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Critical, "Configuration unusable: {Error}")]
        public static partial void ConfigError(ILogger logger, string error);

        [LoggerMessage(2, LogLevel.Warning, "{Warning}")]
        public static partial void ConfigWarning(ILogger logger, string warning);

        [LoggerMessage(3, LogLevel.Error, "{Error} (this jail is off; the others run)")]
        public static partial void JailOff(ILogger logger, string error);

        [LoggerMessage(4, LogLevel.Critical, "No usable jail in {Location}; nothing to do")]
        public static partial void NoJail(ILogger logger, string location);

        [LoggerMessage(5, LogLevel.Critical, "State store unusable: {Error}")]
        public static partial void StoreUnusable(ILogger logger, string error);

        [LoggerMessage(8, LogLevel.Warning, "State file {Path} did not exist or was empty: created a new one. If Warden ran here before, its state was lost; the bans still in the firewall are kept")]
        public static partial void StoreCreated(ILogger logger, string path);

        [LoggerMessage(6, LogLevel.Critical, "Stopping: {Error}")]
        public static partial void Fatal(ILogger logger, string error, Exception exception);

        [LoggerMessage(9, LogLevel.Critical, "Not starting: {Problem}")]
        public static partial void FirewallUnusable(ILogger logger, string problem);

        [LoggerMessage(7, LogLevel.Error, "Admin API not available on {Socket}: {Error}; warden ban/unban/status will not reach this daemon")]
        public static partial void ApiUnavailable(ILogger logger, string socket, string error);
    }
}
