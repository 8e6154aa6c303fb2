using BenchmarkDotNet.Attributes;
using Warden.Core.Detections;

namespace Warden.Benchmarks;

/// <summary>
/// The failure tracker (findtime window per id), per failure: ids drawn Zipf-like from a pool, as
/// attackers are (a few heavy hitters, a long tail), with times rising like a log's.
/// </summary>
[MemoryDiagnoser]
public class TrackerBenchmarks
{
    private const int Failures = 100_000;
    private string[] _ids = [];
    private DateTimeOffset[] _times = [];

    [Params(1_000, 100_000)]
    public int Addresses { get; set; }

    [Params(5)]
    public int MaxRetry { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var pool = Enumerable.Range(0, Addresses).Select(i => $"198.{18 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}").ToArray();
        var cumulative = new double[Addresses];
        var sum = 0.0;
        for (var k = 0; k < Addresses; k++)
        {
            cumulative[k] = sum += 1.0 / (k + 1);
        }

        _ids = new string[Failures];
        _times = new DateTimeOffset[Failures];
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Failures; i++)
        {
            var k = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            _ids[i] = pool[Math.Min(k < 0 ? ~k : k, Addresses - 1)];
            _times[i] = start.AddSeconds(i * 0.6);
        }
    }

    [Benchmark(OperationsPerInvoke = Failures, Description = "Add")]
    public int Add()
    {
        var tracker = new FailureTracker(MaxRetry, TimeSpan.FromMinutes(10));
        var bans = 0;
        for (var i = 0; i < _ids.Length; i++)
        {
            if (tracker.Add(_ids[i], _times[i]) >= MaxRetry)
            {
                bans++;
            }
        }

        return bans;
    }
}
