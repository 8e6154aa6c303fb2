using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Warden.Core.Ports;
using Warden.Sources.Processes;

namespace Warden.Sources.Journal;

/// <summary>
/// Follows the systemd journal through <c>journalctl --follow -o json</c>, applying the filter's
/// journalmatch and rendering each entry as fail2ban does. The checkpoint is the cursor of the
/// last entry handed out (<c>j1 CURSOR</c>); a restart continues with <c>--after-cursor</c>. A first
/// run starts <see cref="JournalOptions.FirstRunLookBack"/> back (fail2ban's filtersystemd.py
/// seeks to now - findtime), after the newest matching entry older than that; <c>j1 start</c>
/// means none existed, so everything that appears is read.
/// </summary>
/// <remarks>Same calling contract as the file sources: one reader at a time, re-callable after a failure.</remarks>
public sealed partial class JournalLogSource : ILogSource
{
    private const string Prefix = "j1 ";
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");
    private readonly JournalOptions _options;
    private readonly ILogger _log;

    private readonly TimeProvider _time;

    private JournalLogSource(JournalOptions options, ILogger log, TimeProvider time)
    {
        _options = options;
        _log = log;
        _time = time;
        var where = options.Directory ?? (options.Files.Count > 0 ? string.Join(',', options.Files) : "system");
        Id = $"journal:{where}:{options.Match}";
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>Creates a source; journalctl starts when it is read. <paramref name="time"/> dates a first run's look-back.</summary>
    public static JournalLogSource Create(JournalOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JournalLogSource(options, logger ?? NullLogger.Instance, time ?? TimeProvider.System);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogBatch> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = checkpoint is { } token && token.StartsWith(Prefix, StringComparison.Ordinal) && IsCursor(token[Prefix.Length..]) ? token[Prefix.Length..] : null;
        if (checkpoint is not null && cursor is null)
        {
            Log.BadCheckpoint(_log, Id);
        }

        if (cursor is null)
        {
            cursor = await NewestCursorAsync(cancellationToken) ?? "start";
        }

        yield return new LogBatch([], Prefix + cursor);

        List<string> follow = [.. Base(), "--follow", cursor == "start" ? "--no-tail" : "--after-cursor=" + cursor, "--", .. _options.Match.Terms];
        await using var journalctl = ChildProcess.Start(Id, follow);
        await foreach (var (lines, overlong) in StreamLines.ReadAsync(journalctl.Output, 1024 * 1024, cancellationToken))
        {
            var rendered = new List<string>(lines.Count);
            var cut = overlong;
            string? last = null;
            foreach (var line in lines)
            {
                if (JournalEntry.Parse(line) is not { } entry)
                {
                    continue;
                }

                rendered.Add(Bounded(entry.Render(_options.TimeZone), ref cut));
                last = entry.Cursor ?? last;
            }

            if (last is not null)
            {
                yield return new LogBatch(rendered, Prefix + last) { Overlong = cut };
            }
        }

        var code = await journalctl.WaitForExitAsync(cancellationToken);
        throw new LogSourceException(Id, $"{journalctl.Description} exited with {code}: {journalctl.ErrorTail}");
    }

    /// <summary>
    /// Where a first run starts: the cursor of the newest matching entry older than
    /// <see cref="JournalOptions.FirstRunLookBack"/>; <c>null</c> when there is none.
    /// </summary>
    private async Task<string?> NewestCursorAsync(CancellationToken cancellationToken)
    {
        // --reverse: journalctl's --lines counts back from the tail before --until is applied, so
        // without it an --until before the newest entry prints nothing.
        List<string> newest = [.. Base(), "--reverse", "--lines=1"];
        if (_options.FirstRunLookBack > TimeSpan.Zero)
        {
            // systemd.time(7): "@" and seconds since the epoch. Entries at that second are read again.
            var until = (_time.GetUtcNow() - _options.FirstRunLookBack).ToUnixTimeSeconds() - 1;
            newest.Add(string.Create(CultureInfo.InvariantCulture, $"--until=@{until}"));
        }

        newest.AddRange(["--", .. _options.Match.Terms]);
        await using var journalctl = ChildProcess.Start(Id, newest);
        string? cursor = null;
        await foreach (var (lines, _) in StreamLines.ReadAsync(journalctl.Output, 1024 * 1024, cancellationToken))
        {
            cursor = lines.Select(JournalEntry.Parse).LastOrDefault(e => e?.Cursor is not null)?.Cursor ?? cursor;
        }

        var code = await journalctl.WaitForExitAsync(cancellationToken);
        return code == 0
            ? cursor
            : throw new LogSourceException(Id, $"{journalctl.Description} exited with {code}: {journalctl.ErrorTail}");
    }

    /// <summary>
    /// A cursor as journalctl writes it (<c>s=..;i=..;b=..;m=..;t=..;x=..</c>, hex values), or
    /// <c>start</c>: journalctl refuses a malformed one, and the engine would retry it forever.
    /// A well-formed cursor of an entry that is gone (vacuumed) seeks to the nearest entry.
    /// </summary>
    private static bool IsCursor(string text) =>
        text == "start" || (text.Length > 0 && text.Split(';').All(part =>
            part.Length > 2 && part[1] == '=' && "sibmtx".Contains(part[0], StringComparison.Ordinal) && !part.AsSpan(2).ContainsAnyExcept(HexDigits)));

    private List<string> Base()
    {
        // -q: no "-- No entries --" chatter; --all: fields over 4 KiB are otherwise null in JSON.
        var args = new List<string> { _options.Journalctl, "--output=json", "--all", "--quiet", "--no-pager" };
        if (_options.Directory is { } directory)
        {
            args.Add("--directory=" + directory);
        }

        args.AddRange(_options.Files.Select(f => "--file=" + f));
        return args;
    }

    private string Bounded(string line, ref int cut)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(line) <= _options.MaxLineBytes)
        {
            return line;
        }

        cut++;
        var bytes = System.Text.Encoding.UTF8.GetBytes(line);
        return System.Text.Encoding.UTF8.GetString(bytes, 0, _options.MaxLineBytes);
    }

    private static partial class Log
    {
        [LoggerMessage(2020, LogLevel.Warning, "Source {Source}: the saved position is not a journal cursor; starting after the newest entry")]
        public static partial void BadCheckpoint(ILogger logger, string source);
    }
}
