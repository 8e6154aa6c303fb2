using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Warden.Fail2Ban.Filters;
using Warden.Fail2Ban.Regexes;
using Warden.Fail2Ban.Stock;

namespace Warden.Fail2Ban.Tests.Regexes;

/// <summary>
/// The build-time table (tools/Warden.RegexGen over Debian's /etc/fail2ban) must hold exactly the
/// patterns and options the filters compile to at run time, or stock filters silently fall back
/// to the interpreter. Loads every installed filter, in every mode it defines, after registering
/// the table, and checks that no regex of it was left to the interpreter (a generated regex is a
/// subclass of Regex; the interpreter is Regex itself).
/// </summary>
public sealed class StockRegexesTests
{
    private const string ConfigDir = "/etc/fail2ban";

    [Fact]
    public void Register_EveryInstalledFilterAndMode_RunsGeneratedCode()
    {
        StockRegexes.Register();
        var loader = new FilterLoader([ConfigDir], new FakeTimeProvider(), includeShipped: false);
        var interpreted = new List<string>();
        var checkedRegexes = 0;
        foreach (var reference in PrecompiledRegexes.FilterReferences(ConfigDir))
        {
            FilterDefinition definition;
            try
            {
                definition = loader.Load(reference);
            }
            catch (ConfigException)
            {
                continue;
            }

            foreach (var regex in new[] { definition.PrefRegex }.Concat(definition.FailRegexes).Concat(definition.IgnoreRegexes))
            {
                if (regex is null)
                {
                    continue;
                }

                checkedRegexes++;
                if (regex.Regex.Regex.GetType() == typeof(Regex))
                {
                    interpreted.Add($"{reference}: {regex.Pattern}");
                }
            }
        }

        Assert.True(StockRegexes.Count > 200, $"only {StockRegexes.Count} generated regexes: was fail2ban installed when Warden was built?");
        Assert.True(checkedRegexes >= StockRegexes.Count, $"{checkedRegexes} regexes loaded");
        Assert.Empty(interpreted);
    }
}
