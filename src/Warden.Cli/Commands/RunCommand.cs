using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Warden.Cli.Hosting;
using Warden.Core.Engine;
using Warden.Core.Ports;
using Warden.Fail2Ban;
using Warden.Fail2Ban.Pcre2;
using Warden.Linux;
using Warden.Store.Sqlite;
using Warden.Web.Api;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden run</c>: the daemon in the foreground. SIGTERM or SIGINT stop it cleanly (last
/// commit written); bans stay in the kernel with their timeouts unless flush_on_stop is set.
/// SIGHUP (and <c>warden reload</c>) read the configuration again: a valid one replaces the
/// running jails, a broken one is refused with its FILE:LINE errors and the running one stays.
/// </summary>
/// <remarks>
/// A reload ends the running engine after its last commit and starts one on the new
/// configuration from the same state store, as a restart would but within the process: the
/// bans in force are restored (and never left the kernel: the table stays while the engine
/// changes, and the new one's whole-state apply replaces it in one transaction), each jail's
/// counted failures come back from the store, and every source goes on from its checkpoint.
/// </remarks>
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

        using var logs = Logging.ForDaemon(level);
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
            if (error.Message.StartsWith("[web]", StringComparison.Ordinal) || error == config.Settings.UnknownFirewall)
            {
                Log.ConfigError(log, error.ToString());
            }
            else
            {
                Log.JailOff(log, error.ToString());
            }
        }

        if (config.Settings.WebErrors > 0)
        {
            return 1;
        }

        if (config.Settings.UnknownFirewall is not null)
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

        using var owner = ClaimFirewall(config.Settings, log, out var claimed);
        if (!claimed)
        {
            return 1;
        }

        SqliteStateStore store;
        try
        {
            store = SqliteStateStore.Open(config.Settings.StatePath, moveCorruptAside: true);
        }
        catch (StateStoreException ex)
        {
            Log.StoreUnusable(log, ex.Message);
            return 1;
        }

        if (store.MovedAside is { } aside)
        {
            Log.StoreMovedAside(log, store.Path, aside.Problem, aside.Path);
        }
        else if (store.Created)
        {
            Log.StoreCreated(log, store.Path);
        }

        BuildInfo.Publish();
        await using var web = await WebListener.StartAsync(config.Settings.Web, log, cancellationToken);
        await using var fleet = await FleetNode.OpenAsync(config.Settings.Fleet, time, logs);
        using (store)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reloads = new ReloadRequests();
            using var systemd = SystemdNotifier.FromEnvironment(log);
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop, systemd));
            using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop, systemd));
            using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                // Handled here: SIGHUP's default action would end the process.
                context.Cancel = true;
                reloads.Request();
            });

            // Registered after the link to stop, so it runs before stop's callbacks (which may run
            // the whole shutdown inline and dispose the notifier).
            using var stopping = cancellationToken.Register(() => systemd.Notify("STOPPING=1"));
            while (true)
            {
                var (firewall, monitor) = Enforcement.Create(config.Jails, config.Settings, () => Backends.Create(config.Settings, logs, time), logs, time);
                var (jails, bindings) = LogSources.Bind(config.Jails, logs, time);
                var options = new EngineOptions { Allowlist = HostAddresses.Allowlist(config.Settings), History = config.Settings.History };
                var engine = new BanEngine(jails, bindings, firewall, monitor, store, store, time, logs.CreateLogger("Warden.Engine"), options, evidence: store, outbound: fleet?.Outbox);
                web?.Attach(engine);
                WardenConfig? next;
                using (var generation = CancellationTokenSource.CreateLinkedTokenSource(stop.Token))
                {
                    try
                    {
                        var running = RunWithApiAsync(engine, jails, config, fleet, reloads, systemd, time, log, generation.Token);
                        next = await NextConfigAsync(running, reloads, config, configDir, time, log, stop.Token);
                        if (next is not null)
                        {
                            systemd.Notify("RELOADING=1");
                            await generation.CancelAsync();
                        }

                        await running;
                    }
                    catch (Exception ex) when (ex is FirewallException or StateStoreException or LogSourceException)
                    {
                        Log.Fatal(log, ex.Message, ex);
                        (firewall as IDisposable)?.Dispose();
                        return 1;
                    }
                }

                web?.Attach(null);
                if (next is null)
                {
                    if (config.Settings.FlushOnStop)
                    {
                        await firewall.RemoveAllAsync(CancellationToken.None);
                    }

                    (firewall as IDisposable)?.Dispose();
                    break;
                }

                (firewall as IDisposable)?.Dispose();
                Log.Reloaded(log, next.Location.ToString(), next.Jails.Count, Names(next, config), Names(config, next));
                config = next;
            }
        }

        return 0;
    }

    /// <summary>
    /// Waits for the running generation to end (returns <c>null</c>) or for a reload request with a
    /// usable configuration (returns it). A broken one is refused: each error is logged with its
    /// file and line, the request answered, and the running configuration stays.
    /// </summary>
    private static async Task<WardenConfig?> NextConfigAsync(Task running, ReloadRequests reloads, WardenConfig current, string? configDir, TimeProvider time, ILogger log, CancellationToken stop)
    {
        var request = reloads.NextAsync(stop);
        while (true)
        {
            if (await Task.WhenAny(running, request) == running)
            {
                return null;
            }

            TaskCompletionSource<ReloadResult>? reply;
            try
            {
                reply = await request;
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            Log.ReloadRequested(log, reply is null ? "SIGHUP" : "warden reload");
            var (candidate, errors) = Validate(configDir, current, time);
            if (candidate is not null)
            {
                foreach (var warning in candidate.Warnings)
                {
                    Log.ConfigWarning(log, warning.ToString());
                }

                reply?.TrySetResult(new ReloadResult(true, $"reloaded {candidate.Location}: {candidate.Jails.Count} jail(s)", []));
                return candidate;
            }

            foreach (var error in errors)
            {
                Log.ReloadRefused(log, error);
            }

            reply?.TrySetResult(new ReloadResult(false, "reload refused: the running configuration stays", errors));
            request = reloads.NextAsync(stop);
        }
    }

    // A reload takes a configuration only when run would start with all of it: any error refuses
    // it whole (as nginx -s reload does), rather than silently dropping the broken jail.
    private static (WardenConfig? Config, IReadOnlyList<string> Errors) Validate(string? configDir, WardenConfig current, TimeProvider time)
    {
        WardenConfig candidate;
        try
        {
            candidate = WardenConfig.Load(ConfigLocation.Resolve(configDir), time);
        }
        catch (ConfigException ex)
        {
            return (null, [ex.Error.ToString()]);
        }

        var errors = candidate.Errors.Select(e => e.ToString()).ToList();
        if (candidate.FirewallProblem is { } problem)
        {
            errors.Add(problem);
        }

        if (candidate.Jails.Count == 0 && errors.Count == 0)
        {
            errors.Add($"no usable jail in {candidate.Location}");
        }

        if (candidate.Settings.Web != current.Settings.Web)
        {
            errors.Add($"{Path.Combine(candidate.Location.Directory ?? "<built-in>", WardenSettingsReader.FileName)}: [web] differs from the running listener's; a new listener needs a restart");
        }

        if (!FleetSettings.Same(candidate.Settings.Fleet, current.Settings.Fleet))
        {
            errors.Add($"{Path.Combine(candidate.Location.Directory ?? "<built-in>", WardenSettingsReader.FileName)}: [fleet] differs from the running one's; joining or leaving the fleet needs a restart");
        }

        if (candidate.Settings.StatePath != current.Settings.StatePath)
        {
            errors.Add($"{Path.Combine(candidate.Location.Directory ?? "<built-in>", WardenSettingsReader.FileName)}: state = {candidate.Settings.StatePath} differs from the running {current.Settings.StatePath}; a new state file needs a restart");
        }

        return errors.Count == 0 ? (candidate, []) : (null, errors);
    }

    private static string Names(WardenConfig having, WardenConfig without)
    {
        var names = having.Jails.Select(j => j.Definition.Name).Except(without.Jails.Select(j => j.Definition.Name), StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    /// <summary>
    /// Runs the engine; once it has started, serves the admin API, keeps ignoreip host names
    /// resolved, shares bans with the fleet and, unless <c>compact_memory = no</c>, hands memory
    /// back after bursts.
    /// </summary>
    private static async Task RunWithApiAsync(BanEngine engine, IReadOnlyList<Core.Jails.Jail> jails, WardenConfig config, FleetNode? fleet, ReloadRequests reloads, SystemdNotifier systemd, TimeProvider time, ILogger log, CancellationToken stop)
    {
        var settings = config.Settings;
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
            var apiOptions = new Web.ApiOptions
            {
                Socket = settings.ApiSocket,
                Version = VersionCommand.Describe(),
                ConfigDirectory = config.Location.ToString(),
                StateFile = settings.StatePath,
                RegexEngine = VersionCommand.RegexEngineText(),
                Reload = reloads.RequestAsync,
                Fleet = fleet is null ? null : fleet.Status,
            };
            api = await Web.ApiServer.StartAsync(engine, apiOptions, log, stop);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            Log.ApiUnavailable(log, settings.ApiSocket, ex.Message);
        }

        // Stopped with the engine, also when it stops on an error rather than a signal.
        using var helpers = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var refresh = IgnoreHosts.RefreshAsync(engine, jails, time, log, helpers.Token);
        var compaction = settings.CompactMemory ? MemoryCompaction.RunAsync(engine, fleet is null ? null : () => fleet.Handled, time, log, helpers.Token) : Task.CompletedTask;
        var watchdog = systemd.RunWatchdogAsync(engine, time, helpers.Token);
        var sharing = fleet?.RunAsync(engine, helpers.Token) ?? Task.CompletedTask;
        try
        {
            await run;
        }
        finally
        {
            await helpers.CancelAsync();
            await refresh;
            await compaction;
            await watchdog;
            await sharing;
            if (api is not null)
            {
                await api.DisposeAsync();
            }
        }
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop, SystemdNotifier systemd)
    {
        // Handle the signal ourselves: finish the current batch, commit, then exit 0. STOPPING=1
        // first: cancelling runs the shutdown's continuations, which end with the notifier disposed.
        context.Cancel = true;
        systemd.Notify("STOPPING=1");
        stop.Cancel();
    }

    // One Warden per firewall: a second would rewrite the first one's table (issue 14). Shadow
    // mode touches no firewall and claims nothing; pf is FreeBSD's, which has no abstract sockets.
    private static FirewallLock? ClaimFirewall(WardenSettings settings, ILogger log, out bool claimed)
    {
        claimed = true;
        if (settings.Shadow || settings.Firewall == FirewallKind.Pf || !OperatingSystem.IsLinux())
        {
            return null;
        }

        var name = "warden/" + settings.Firewall.Name;
        try
        {
            var owner = FirewallLock.TryAcquire(name, out var holder);
            if (owner is null)
            {
                claimed = false;
                Log.FirewallTaken(log, holder is { } pid ? $"pid {pid}" : "a process", settings.Firewall.Name, name);
            }

            return owner;
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // Unix sockets refused (a sandbox): run unguarded rather than not at all, and say so.
            Log.FirewallUnclaimed(log, ex.Message);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(13, LogLevel.Critical, "Not starting: another Warden ({Holder}) already guards this network namespace's {Firewall} firewall (it holds the abstract socket @{Name}). Two would overwrite each other's table; stop the other one first (systemctl stop warden), or run this one with [warden] mode = shadow")]
        public static partial void FirewallTaken(ILogger logger, string holder, string firewall, string name);

        [LoggerMessage(14, LogLevel.Warning, "Could not claim the firewall ({Error}); a second Warden on this firewall would not be detected")]
        public static partial void FirewallUnclaimed(ILogger logger, string error);

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

        [LoggerMessage(22, LogLevel.Warning, "State file {Path} is corrupt ({Problem}): moved it to {Aside} and created a new one. The bans still in the firewall are kept; the logs are read from their ends and failures counted before now are forgotten")]
        public static partial void StoreMovedAside(ILogger logger, string path, string problem, string aside);

        [LoggerMessage(6, LogLevel.Critical, "Stopping: {Error}")]
        public static partial void Fatal(ILogger logger, string error, Exception exception);

        [LoggerMessage(9, LogLevel.Critical, "Not starting: {Problem}")]
        public static partial void FirewallUnusable(ILogger logger, string problem);

        [LoggerMessage(7, LogLevel.Error, "Admin API not available on {Socket}: {Error}; warden ban/unban/status will not reach this daemon")]
        public static partial void ApiUnavailable(ILogger logger, string socket, string error);

        [LoggerMessage(10, LogLevel.Error, "Reload refused, the running configuration stays: {Error}")]
        public static partial void ReloadRefused(ILogger logger, string error);

        [LoggerMessage(12, LogLevel.Information, "Reload requested ({Requester}): reading the configuration again")]
        public static partial void ReloadRequested(ILogger logger, string requester);

        [LoggerMessage(11, LogLevel.Information, "Reloaded {Location}: {Jails} jails (added: {Added}; removed: {Removed})")]
        public static partial void Reloaded(ILogger logger, string location, int jails, string added, string removed);
    }
}
