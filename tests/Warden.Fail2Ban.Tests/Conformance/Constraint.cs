using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Tests.Conformance;

/// <summary>
/// The Python conditions fail2ban's sample files use ("constraint", "test.condition"):
/// <c>name == 'x'</c> and <c>opts.get('k') == 'v'</c>, with == or !=. Anything else is refused,
/// so a new kind of condition in the corpus shows up as a test failure rather than a silent pass.
/// </summary>
internal static partial class Constraint
{
    public static bool Evaluate(string expression, string name, IReadOnlyDictionary<string, string> options)
    {
        var match = ConditionRegex().Match(expression.Trim());
        if (!match.Success)
        {
            throw new NotSupportedException($"constraint not understood: {expression}");
        }

        var left = match.Groups["opt"].Success ? options.GetValueOrDefault(match.Groups["opt"].Value) : name;
        var equal = left == match.Groups["value"].Value;
        return match.Groups["op"].Value == "==" ? equal : !equal;
    }

    [GeneratedRegex(@"^(?:name|opts\.get\('(?<opt>[\w.-]+)'\))\s*(?<op>==|!=)\s*'(?<value>[^']*)'$")]
    private static partial Regex ConditionRegex();
}
