using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Cli.Hosting;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Jails;
using Warden.Core.Replay;
using Warden.Fail2Ban;
using Warden.Fail2Ban.Jails;
using Warden.Sources.Files;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden replay</c>: runs the configured jails over a log history with each line's own time
/// as the clock and prints the bans the daemon would have made (when, address, jail, bantime,
/// evidence) and a summary per jail. Touches no firewall and no state. Exit 0 when the replay
/// completed, 1 on a configuration error, 2 when a log cannot be read.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var logs = new Argument<string[]>("log")
        {
            Description = "Logs to replay (read by every jail that reads files, or by --jail); default: each jail's logpath with its rotated generations, oldest first, .gz included",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var configDir = CommonOptions.ConfigDir();
        var jail = new Option<string[]>("--jail") { Description = "Replay only these jails (repeatable)", AllowMultipleArgumentsPerToken = true };
        var since = new Option<string?>("--since") { Description = "Ignore lines before this time: ISO 8601 (2026-11-01T00:00:00Z) or an age (7d, 12h)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {\"bans\": [{time, address, jail, bantime, evidence}], \"jails\": [...]}" };
        var command = new Command("replay", "Run the jails over a log history and show the bans the daemon would have made (no firewall, no state)")
        {
            logs, configDir, jail, since, json,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(logs) ?? [], result.GetValue(configDir), result.GetValue(jail) ?? [], result.GetValue(since), result.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string[] logs, string? configDir, string[] only, string? sinceText, bool json, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        DateTimeOffset? since = null;
        if (sinceText is not null)
        {
            if (!TryParseSince(sinceText, time.GetUtcNow(), out var parsed))
            {
                await Console.Error.WriteLineAsync($"error: --since: '{sinceText}' is neither an ISO 8601 time nor an age such as 7d");
                return 1;
            }

            since = parsed;
        }

        WardenConfig config;
        try
        {
            config = WardenConfig.Load(ConfigLocation.Resolve(configDir), time);
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Error}");
            return 1;
        }

        foreach (var error in config.Errors)
        {
            await Console.Error.WriteLineAsync($"warning: {error} (this jail is not replayed)");
        }

        var unknown = only.Where(n => config.Jails.All(j => j.Definition.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync($"error: --jail {string.Join(", ", unknown)}: no such jail in {config.Location}");
            return 1;
        }

        var selected = config.Jails.Where(j => only.Length == 0 || only.Contains(j.Definition.Name)).ToList();
        var jails = new List<(LoadedJail Loaded, Jail Jail)>();
        foreach (var loaded in selected)
        {
            jails.Add((loaded, new Jail(loaded.Definition.Policy, loaded.CreateFilter(NullLogger.Instance))));
        }

        List<ReplayInput> inputs;
        try
        {
            inputs = Inputs(logs, jails);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }

        if (inputs.Count == 0)
        {
            await Console.Error.WriteLineAsync("error: nothing to replay: no log given and no selected jail reads a log file that exists");
            return 2;
        }

        var replay = new LogReplay([.. jails.Select(j => j.Jail)], HostAddresses.Allowlist(config.Settings)) { Since = since };
        // A counter on the terminal while the bans go elsewhere (the ban lines show progress themselves).
        var progress = !Console.IsErrorRedirected && Console.IsOutputRedirected ? new LineProgress(Console.Error, time) : null;
        var started = time.GetTimestamp();
        ReplayResult result;
        try
        {
            if (json)
            {
                using var stdout = Console.OpenStandardOutput();
                using var writer = new Utf8JsonWriter(stdout);
                writer.WriteStartObject();
                writer.WriteStartArray("bans");
                result = await replay.RunAsync(inputs, ban => WriteBan(writer, ban), progress is null ? null : progress.Report, cancellationToken);
                writer.WriteEndArray();
                WriteSummary(writer, result, time.GetElapsedTime(started));
                writer.WriteEndObject();
                writer.Flush();
                stdout.WriteByte((byte)'\n');
            }
            else
            {
                var output = Console.Out;
                result = await replay.RunAsync(inputs, ban => WriteBan(output, ban), progress is null ? null : progress.Report, cancellationToken);
                progress?.Finish();
                WriteSummary(output, result, time.GetElapsedTime(started));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            progress?.Finish();
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }

        progress?.Finish();
        return 0;
    }

    /// <summary>One input per distinct file (a file read by several jails is read once), oldest generation first.</summary>
    private static List<ReplayInput> Inputs(string[] logs, List<(LoadedJail Loaded, Jail Jail)> jails)
    {
        var fileJails = jails.Where(j => !j.Loaded.Definition.Policy.CountsBans).ToList();
        var byFile = new Dictionary<string, List<Jail>>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string file, Jail jail)
        {
            if (!byFile.TryGetValue(file, out var list))
            {
                list = [];
                byFile[file] = list;
                order.Add(file);
            }

            if (!list.Contains(jail))
            {
                list.Add(jail);
            }
        }

        if (logs.Length > 0)
        {
            foreach (var log in logs)
            {
                var path = log == "-" ? "-" : Path.GetFullPath(log);
                if (path != "-" && !File.Exists(path))
                {
                    throw new IOException($"{log}: no such file");
                }

                foreach (var (_, jail) in fileJails)
                {
                    Add(path, jail);
                }
            }
        }
        else
        {
            foreach (var (loaded, jail) in fileJails)
            {
                foreach (var logPath in loaded.Definition.LogPaths.Where(p => p != "-"))
                {
                    foreach (var file in LogHistory.Expand(logPath))
                    {
                        Add(file, jail);
                    }
                }
            }
        }

        // Recidive reads no log: it counts the bans of the others, which the replay feeds it.
        return [.. order.Select(file => new ReplayInput(file, Lines(file), byFile[file]))];
    }

    private static IEnumerable<string> Lines(string file) =>
        file == "-" ? StandardInput() : LogHistory.Generations(file).SelectMany(LogHistory.ReadLines);

    private static IEnumerable<string> StandardInput()
    {
        while (Console.In.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    internal static bool TryParseSince(string text, DateTimeOffset now, out DateTimeOffset since)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out since))
        {
            return true;
        }

        if (Duration.TryParseSeconds(text, out var seconds, out _) && seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds / 2)
        {
            since = now - TimeSpan.FromSeconds(seconds);
            return true;
        }

        return false;
    }

    internal static string FormatBanTime(Ban ban) =>
        ban.Expires is { } expires ? BanTimeText.Duration(expires - ban.Start) : "forever";

    private static void WriteBan(TextWriter output, Ban ban)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{BanTimeText.Format(ban.Start)}  {ban.Jail,-16} {AddressParsing.Format(ban.Target),-39} ban {FormatBanTime(ban)}{(ban.PriorBans > 0 ? $" (banned {ban.PriorBans} times before)" : string.Empty)}, {ban.Failures} failures"));
        // A multi-line match (maxlines) is one entry with its lines joined by newlines.
        foreach (var line in ban.Evidence.SelectMany(e => e.Line.Split('\n')))
        {
            output.WriteLine("    | " + line);
        }
    }

    private static void WriteBan(Utf8JsonWriter writer, Ban ban)
    {
        writer.WriteStartObject();
        writer.WriteString("time", BanTimeText.Format(ban.Start));
        writer.WriteString("address", AddressParsing.Format(ban.Target));
        writer.WriteString("jail", ban.Jail);
        if (ban.Expires is { } expires)
        {
            writer.WriteNumber("bantime", (long)Math.Round((expires - ban.Start).TotalSeconds));
        }
        else
        {
            writer.WriteNull("bantime");
        }

        writer.WriteNumber("failures", ban.Failures);
        writer.WriteNumber("prior_bans", ban.PriorBans);
        writer.WriteStartArray("evidence");
        foreach (var evidence in ban.Evidence)
        {
            writer.WriteStartObject();
            writer.WriteString("time", BanTimeText.Format(evidence.Time));
            writer.WriteString("source", evidence.Source);
            writer.WriteString("line", evidence.Line);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        if (writer.BytesPending > 1 << 16)
        {
            writer.Flush();
        }
    }

    private static void WriteSummary(TextWriter output, ReplayResult result, TimeSpan took)
    {
        output.WriteLine();
        output.WriteLine($"{"jail",-20} {"failures",10} {"bans",8} {"ignored",8} {"refused",8}");
        foreach (var jail in result.Jails)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{jail.Name,-20} {jail.Failures,10} {jail.Bans,8} {jail.Ignored,8} {jail.Refused,8}"));
        }

        output.WriteLine();
        foreach (var log in result.Logs)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{log.Lines,12} lines  {log.Name}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Lines} lines replayed in {took.TotalSeconds:0.00} s; no firewall or state was touched"));
    }

    private static void WriteSummary(Utf8JsonWriter writer, ReplayResult result, TimeSpan took)
    {
        writer.WriteStartArray("jails");
        foreach (var jail in result.Jails)
        {
            writer.WriteStartObject();
            writer.WriteString("name", jail.Name);
            writer.WriteNumber("failures", jail.Failures);
            writer.WriteNumber("bans", jail.Bans);
            writer.WriteNumber("ignored", jail.Ignored);
            writer.WriteNumber("refused", jail.Refused);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("logs");
        foreach (var log in result.Logs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", log.Name);
            writer.WriteNumber("lines", log.Lines);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("lines", result.Lines);
        writer.WriteNumber("seconds", Math.Round(took.TotalSeconds, 3));
    }

    /// <summary>A one-line counter on the terminal, redrawn at most ten times a second.</summary>
    private sealed class LineProgress(TextWriter output, TimeProvider time)
    {
        private long _lastDraw;

        public void Report(long lines)
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(_lastDraw, now) < TimeSpan.FromMilliseconds(100))
            {
                return;
            }

            _lastDraw = now;
            output.Write(string.Create(CultureInfo.InvariantCulture, $"\rreplaying: {lines:N0} lines"));
            output.Flush();
        }

        public void Finish()
        {
            output.Write("\r" + new string(' ', 40) + "\r");
            output.Flush();
        }
    }
}
