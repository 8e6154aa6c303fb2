using System.Text.RegularExpressions;

namespace Warden.Firewall.Pf.Tests;

/// <summary>
/// A FAKE pfctl (pf cannot run on Linux): records the exact argv and standard input of every
/// call, and keeps a small model of one anchor (its rules and tables) so reads after writes
/// answer as pfctl would. Anything it does not know fails with exit code 1.
/// </summary>
internal sealed partial class FakePfctlRecorder : IPfctl
{
    public List<(string[] Args, string? Stdin)> Calls { get; } = [];

    public List<string> Rules { get; } = [];

    public Dictionary<string, HashSet<string>> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>What <c>pfctl -s rules</c> prints for the main ruleset.</summary>
    public string MainRuleset { get; set; } = "anchor \"warden\" all\npass in all\n";

    public Task<PfctlResult> RunAsync(IReadOnlyList<string> args, string? stdin, CancellationToken cancellationToken)
    {
        Calls.Add(([.. args], stdin));
        return Task.FromResult(Handle([.. args], stdin));
    }

    /// <summary>What an admin's <c>pfctl -a warden -F Tables</c> would leave.</summary>
    public void FlushTablesBehindWardensBack() => Tables.Clear();

    private PfctlResult Handle(string[] a, string? stdin)
    {
        var lines = (stdin ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (a)
        {
            case ["-a", _, "-f", "-"]:
                Rules.Clear();
                Rules.AddRange(lines);
                foreach (var line in lines)
                {
                    foreach (Match m in TableReference().Matches(line))
                    {
                        Tables.TryAdd(m.Groups[1].Value, []);
                    }
                }

                return Ok();
            case ["-a", _, "-t", var t, "-T", "replace", "-f", "-"]:
                Tables[t] = [.. lines];
                return Ok();
            case ["-a", _, "-t", var t, "-T", "add", "-f", "-"]:
                Table(t).UnionWith(lines);
                return Ok();
            case ["-a", _, "-t", var t, "-T", "delete", "-f", "-"] when Tables.ContainsKey(t):
                Tables[t].ExceptWith(lines);
                return Ok();
            case ["-a", _, "-t", var t, "-T", "kill"]:
                return Tables.Remove(t) ? Ok() : Fail("pfctl: Table does not exist.");
            case ["-a", _, "-s", "Tables"]:
                return Ok(string.Concat(Tables.Keys.Select(k => k + "\n")));
            case ["-s", "rules"]:
                return Ok(MainRuleset);
            case ["-a", _, "-t", var t, "-T", "show"]:
                return Tables.TryGetValue(t, out var shown) ? Ok(string.Concat(shown.Order().Select(a => "   " + a + "\n"))) : Fail("pfctl: Table does not exist.");
            case ["-a", _, "-s", "rules"]:
                return Ok(string.Concat(Rules.Select(r => r + "\n")));
            case ["-a", _, "-F", "rules"]:
                Rules.Clear();
                return Ok();
            case ["-a", _, "-F", "Tables"]:
                Tables.Clear();
                return Ok();
            case ["-k", _]:
                return Ok();
            default:
                return Fail("FakePfctlRecorder: unknown command " + string.Join(' ', a));
        }
    }

    private HashSet<string> Table(string name)
    {
        if (!Tables.TryGetValue(name, out var table))
        {
            table = [];
            Tables[name] = table;
        }

        return table;
    }

    private static PfctlResult Ok(string stdout = "") => new(0, stdout, string.Empty);

    private static PfctlResult Fail(string error) => new(1, string.Empty, error);

    [GeneratedRegex("<([^>]+)>")]
    private static partial Regex TableReference();
}
