using System.CommandLine;
using Warden.Cli.Hosting;
using Warden.Fail2Ban;
using Warden.Fail2Ban.Filters;
using Warden.Fail2Ban.FilterRun;

namespace Warden.Cli.Commands;

/// <summary>
/// <c>warden test LOG FILTER</c>: Warden's fail2ban-regex. Runs a filter (a name from the config
/// directory's filter.d or Warden's own, a path to a filter file, or a literal regex) over a log
/// file or standard input and prints what it finds: a summary, or with --json one JSON object with
/// every failure. Exit 0 when the run completed, 1 on a configuration error, 2 when the log cannot be read.
/// </summary>
internal static class TestCommand
{
    public static Command Create()
    {
        var log = new Argument<string>("log") { Description = "Log file to read, or - for standard input" };
        var filter = new Argument<string>("filter")
        {
            Description = "Filter name (config dir's filter.d first, then Warden's), NAME[opt=value,...], a filter file, or a failregex",
        };
        var configDir = CommonOptions.ConfigDir();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: lines, matched, failures [{line, id, time}], ..." };
        var checkAll = new Option<bool>("--check-all") { Description = "Try every failregex on each line (fail2ban-regex's default); the daemon stops at the first" };
        var command = new Command("test", "Run a filter over a log and report what it finds (like fail2ban-regex)")
        {
            log, filter, configDir, json, checkAll,
        };
        command.SetAction(result => Run(
            result.GetValue(log)!, result.GetValue(filter)!, result.GetValue(configDir), result.GetValue(json), result.GetValue(checkAll)));
        return command;
    }

    private static int Run(string log, string filterText, string? configDir, bool json, bool checkAll)
    {
        var time = TimeProvider.System;
        FilterDefinition definition;
        try
        {
            var location = ConfigLocation.Resolve(configDir);
            var loader = new FilterLoader(location.Directory is { } dir ? [dir] : [], time);
            definition = loader.LoadForTest(filterText);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine($"error: {ex.Error}");
            return 1;
        }

        Stream input;
        try
        {
            input = log == "-" ? Console.OpenStandardInput() : new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {log}: cannot read: {ex.Message}");
            return 2;
        }

        using (input)
        {
            var tester = new FilterTester(definition, new FilterTestOptions(CheckAllRegex: checkAll));
            var total = input.CanSeek ? input.Length : 0;
            var progress = !Console.IsErrorRedirected && total > 16 << 20 ? new TerminalProgress(Console.Error, total, time) : null;
            FilterTestReport report;
            if (json)
            {
                using var stdout = new BufferedStream(Console.OpenStandardOutput(), 1 << 16);
                using var writer = new FilterTestJsonWriter(stdout, time.LocalTimeZone);
                report = tester.Run(input, writer.WriteFailure, progress);
                progress?.Finish();
                writer.Complete(report);
                stdout.WriteByte((byte)'\n');
            }
            else
            {
                report = tester.Run(input, null, progress);
                progress?.Finish();
                FilterTestTextWriter.Write(Console.Out, definition, log, report);
            }
        }

        return 0;
    }
}
