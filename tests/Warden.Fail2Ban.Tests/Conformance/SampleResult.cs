namespace Warden.Fail2Ban.Tests.Conformance;

/// <summary>Outcome of one filter's samples: checks passed, and what failed.</summary>
internal sealed class SampleResult(string filter)
{
    private readonly List<string> _failures = [];

    public string Filter { get; } = filter;

    public int Passed { get; private set; }

    public int Total => Passed + _failures.Count;

    public IReadOnlyList<string> Failures => _failures;

    public void Pass() => Passed++;

    public void Fail(int line, string message) => _failures.Add(message);
}
