using System.Diagnostics;
using Warden.Core.Detection;
using Warden.Fail2Ban.Filters;

namespace Warden.Fail2Ban.Testing;

/// <summary>
/// <c>warden test</c>, Warden's fail2ban-regex: runs a filter over a log stream and reports lines,
/// matches, ignores, misses, hits per regex and the most frequent ids. Failures are handed to a
/// callback as they are found instead of being kept, and ids are counted up to a cap, so a log of
/// any size runs in bounded memory. One run per instance; not thread-safe.
/// </summary>
public sealed class FilterTester
{
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
    /// <param name="onFailure">Called for each failure, in log order; null to only count.</param>
    /// <param name="progress">Reports bytes read now and then; null for none.</param>
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
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var detections = new List<Detection>();
        var regexOf = new List<int>();
        long lines = 0, failures = 0, ignored = 0, matched = 0;
        while (reader.TryReadLine(out var line))
        {
            lines++;
            if ((lines & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(reader.Position);
            }

            // fail2ban-regex skips empty lines and '#' comments.
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            detections.Clear();
            var outcome = filter.ProcessForTest(line, detections, regexOf);
            if (outcome == LineOutcome.Ignored)
            {
                ignored++;
                continue;
            }

            if (outcome == LineOutcome.Missed)
            {
                continue;
            }

            matched++;
            for (var i = 0; i < detections.Count; i++)
            {
                var detection = detections[i];
                failures++;
                if (counts.TryGetValue(detection.Id, out var count))
                {
                    counts[detection.Id] = count + 1;
                }
                else if (counts.Count < _options.MaxTrackedIds)
                {
                    counts[detection.Id] = 1;
                }

                onFailure?.Invoke(new FilterTestFailure(lines, detection.Id, detection.Time, regexOf[i]));
            }
        }

        progress?.Report(reader.Position);
        var hits = filter.Counters.HitsPerRegex;
        return new FilterTestReport
        {
            Lines = lines,
            Matched = matched,
            Ignored = ignored,
            Failures = failures,
            RegexHits = [.. _definition.FailRegexTexts.Select((r, i) => (r, hits[i]))],
            IgnoreRegexes = _definition.IgnoreRegexTexts,
            TopIds = [.. counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(_options.TopCount).Select(kv => (kv.Key, kv.Value))],
            DistinctIds = counts.Count,
            RegexTimeouts = filter.Counters.RegexTimeouts,
            Bytes = reader.Position,
            Elapsed = Stopwatch.GetElapsedTime(started),
        };
    }
}
