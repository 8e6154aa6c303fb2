using System.Text;
using Microsoft.Extensions.Time.Testing;
using Warden.Fail2Ban.Filters;
using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Tests.Regexes;

/// <summary>
/// The source-generated regexes must be exactly the translated patterns of the shipped filters in
/// every mode, or the default configuration silently falls back to the interpreter. On a
/// mismatch the message lists the table entries to write.
/// </summary>
public sealed class ShippedRegexesTests
{
    private static readonly string[] References =
    [
        "sshd", "sshd[mode=aggressive]",
        "postfix", "postfix[mode=auth]", "postfix[mode=aggressive]",
        "dovecot", "dovecot[mode=aggressive]",
        "nginx-http-auth", "nginx-http-auth[mode=aggressive]",
        "nginx-botsearch", "recidive",
    ];

    [Fact]
    public void Table_EveryShippedFilterMode_IsGeneratedExactly()
    {
        var loader = new FilterLoader([], new FakeTimeProvider());
        var wanted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var reference in References)
        {
            var definition = loader.Load(reference);
            foreach (var regex in new[] { definition.PrefRegex }.Concat(definition.FailRegexes).Concat(definition.IgnoreRegexes))
            {
                if (regex is not null)
                {
                    wanted.Add(regex.Pattern);
                }
            }
        }

        Assert.Equal(ShippedFilters.Names.Count, References.Select(r => r.Split('[')[0]).Distinct().Count());
        var have = new SortedSet<string>(ShippedRegexes.Patterns, StringComparer.Ordinal);
        if (!wanted.SetEquals(have))
        {
            var code = new StringBuilder();
            var i = 0;
            foreach (var pattern in wanted)
            {
                code.AppendLine($"        [R{i}] = ... {Literal(pattern)}");
                i++;
            }

            File.WriteAllLines(Path.Combine(Path.GetTempPath(), "warden-shipped-regexes.txt"), wanted);
            Assert.Fail($"generated table out of step ({wanted.Count} wanted, {have.Count} present); patterns written to /tmp/warden-shipped-regexes.txt\n{code}");
        }
    }

    private static string Literal(string text) => "@\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
