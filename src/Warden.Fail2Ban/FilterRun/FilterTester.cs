using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Warden.Fail2Ban.Filters;

namespace Warden.Fail2Ban.FilterRun;

/// <summary>
/// <c>warden test</c>, Warden's fail2ban-regex: runs a filter over a log stream and reports lines,
/// matches, ignores, misses, hits per regex and the most frequent ids. Failures are handed to a
/// callback as they are found, in log order, instead of being kept, and ids are counted up to a
/// cap, so a log of any size runs in bounded memory. On a machine with several cores the reading
/// and cheap screening of lines runs on one thread and the regexes on the calling one, joined by
/// a bounded queue. One run per instance; not thread-safe.
/// </summary>
public sealed class FilterTester
{
    private const int BatchSize = 128;
    private readonly FilterDefinition _definition;
    private readonly FilterTestOptions _options;

    /// <summary>Creates a tester for a loaded filter.</summary>
    public FilterTester(FilterDefinition definition, FilterTestOptions? options = null)
    {
        _definition = definition ?? throw new ArgumentNullException(nameof(definition));
        _options = options ?? new FilterTestOptions();
    }

    /// <summary>Reads <paramref name="input"/> to its end.</summary>
    /// <param name="input">The log (any size; read sequentially).</param>
    /// <param name="onFailure">Called for each failure, in log order, on the calling thread; null to only count.</param>
    /// <param name="progress">Reports bytes read now and then (from the reading thread); null for none.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    public FilterTestReport Run(
        Stream input,
        Action<FilterTestFailure>? onFailure = null,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var started = Stopwatch.GetTimestamp();
        var filter = _definition.CreateFilter(new FilterBehavior(CheckAllRegex: _options.CheckAllRegex, DateFallbackToNow: false, IgnorePending: false));
        var reader = new LineReader(input);
        var tally = new Tally(_options, onFailure);
        long lines;
        if (_options.Parallel && Environment.ProcessorCount > 1)
        {
            lines = RunPipelined(filter, reader, tally, progress, cancellationToken);
        }
        else
        {
            lines = 0;
            while (reader.TryReadLine(out var line))
            {
                if ((++lines & 0xFFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(reader.Position);
                }

                // fail2ban-regex skips empty lines and '#' comments.
                if (line.Length > 0 && line[0] != '#' && filter.Screen(line) is { } candidate)
                {
                    tally.Add(filter, candidate, lines);
                }
            }
        }

        progress?.Report(reader.Position);
        var hits = filter.Counters.HitsPerRegex;
        return new FilterTestReport
        {
            Lines = lines,
            Matched = tally.Matched,
            Ignored = tally.Ignored,
            Failures = tally.Failures,
            RegexHits = [.. _definition.FailRegexTexts.Select((r, i) => (r, hits[i]))],
            IgnoreRegexes = _definition.IgnoreRegexTexts,
            TopIds = tally.Top(_options.TopCount),
            DistinctIds = tally.DistinctIds,
            RegexLimitHits = filter.Counters.RegexLimitHits,
            Bytes = reader.Position,
            Elapsed = Stopwatch.GetElapsedTime(started),
        };
    }

    private static long RunPipelined(FilterInstance filter, LineReader reader, Tally tally, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        // Stage one (reading, UTF-8, date, literal screen) on a worker; stage two (regexes,
        // multi-line state, counting, output) here. Batches keep the queue cheap and bounded.
        using var queue = new BlockingCollection<List<(long Line, CandidateLine Candidate)>>(boundedCapacity: 4);
        long lines = 0;
        var producer = Task.Run(
            () =>
            {
                try
                {
                    var batch = new List<(long, CandidateLine)>(BatchSize);
                    while (reader.TryReadLine(out var line))
                    {
                        if ((++lines & 0xFFFF) == 0)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            progress?.Report(reader.Position);
                        }

                        if (line.Length > 0 && line[0] != '#' && filter.Screen(line) is { } candidate)
                        {
                            batch.Add((lines, candidate));
                            if (batch.Count == BatchSize)
                            {
                                queue.Add(batch, cancellationToken);
                                batch = new List<(long, CandidateLine)>(BatchSize);
                            }
                        }
                    }

                    if (batch.Count > 0)
                    {
                        queue.Add(batch, cancellationToken);
                    }
                }
                finally
                {
                    queue.CompleteAdding();
                }
            },
            cancellationToken);

        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancellationToken))
            {
                foreach (var (line, candidate) in batch)
                {
                    tally.Add(filter, candidate, line);
                }
            }
        }
        finally
        {
            // Surfaces a reading error; on our own failure, lets the reader finish first.
            if (!producer.IsCompleted)
            {
                while (queue.TryTake(out _, Timeout.Infinite, CancellationToken.None))
                {
                }
            }

            producer.GetAwaiter().GetResult();
        }

        return lines;
    }

    /// <summary>Counts of stage two, the failure callback and the per-id counts.</summary>
    private sealed class Tally(FilterTestOptions options, Action<FilterTestFailure>? onFailure)
    {
        private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
        private readonly List<(string Id, DateTimeOffset Time, int Regex)> _failures = [];

        public long Matched { get; private set; }

        public long Ignored { get; private set; }

        public long Failures { get; private set; }

        public long DistinctIds => _counts.Count;

        public void Add(FilterInstance filter, CandidateLine candidate, long line)
        {
            switch (filter.Classify(candidate, _failures))
            {
                case LineOutcome.Ignored:
                    Ignored++;
                    return;
                case LineOutcome.Missed:
                    return;
            }

            Matched++;
            foreach (var (id, time, regex) in _failures)
            {
                Failures++;
                ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_counts, id);
                if (!Unsafe.IsNullRef(ref count))
                {
                    count++;
                }
                else if (_counts.Count < options.MaxTrackedIds)
                {
                    _counts[id] = 1;
                }

                onFailure?.Invoke(new FilterTestFailure(line, id, time, regex));
            }
        }

        public IReadOnlyList<(string Id, long Count)> Top(int count) =>
            [.. _counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(count).Select(kv => (kv.Key, kv.Value))];
    }
}
