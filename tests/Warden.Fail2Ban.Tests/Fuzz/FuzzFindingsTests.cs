using System.Text;
using Warden.Fail2Ban.Dates;
using Warden.Fail2Ban.Jails;
using Warden.Fail2Ban.Regexes;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Fuzz;

/// <summary>
/// Every input with which the fuzzer (tests/Warden.Fuzz) crashed or hung a parser of this
/// assembly, kept under tests/Warden.Fuzz/crashers/TARGET, replayed as its fuzz target feeds it:
/// each may only get the parser's documented answer to bad input, and in bounded time.
/// </summary>
public sealed class FuzzFindingsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Date => Inputs("date");

    public static TheoryData<string> Jail => Inputs("jail");

    public static TheoryData<string> Regex => Inputs("regex");

    [Theory]
    [MemberData(nameof(Date))]
    public async Task DatePatternAndLines_FuzzFinding_BadPatternIsAFormatErrorAndNoLineThrows(string input)
    {
        var lines = Text(input).Split('\n');

        await Task.Run(() =>
        {
            var custom = new DateDetector(2026);
            var valid = true;
            try
            {
                custom.Append(lines[0]);
            }
            catch (FormatException)
            {
                valid = false;
            }

            var defaults = new DateDetector(2026);
            foreach (var line in lines)
            {
                _ = defaults.MatchTime(line);
                _ = defaults.TryMatchCached(line, out _);
                if (valid)
                {
                    _ = custom.MatchTime(line);
                }
            }
        }).WaitAsync(Bound);
    }

    [Theory]
    [MemberData(nameof(Jail))]
    public async Task JailConf_FuzzFinding_LoadsWithErrorsInTheResult(string input)
    {
        var result = await Task.Run(() => JailConfigLoader.LoadText("/fuzz/jail.conf", Text(input))).WaitAsync(Bound);

        Assert.NotNull(result);
    }

    [Theory]
    [MemberData(nameof(Regex))]
    public async Task Translate_FuzzFinding_IsATranslationOrAnArgumentError(string input)
    {
        var pattern = Text(input);

        await Task.Run(() =>
        {
            foreach (var capture in (ReadOnlySpan<bool>)[true, false])
            {
                TranslateOrRefuse(() => PythonToPcre2.Translate(pattern, capture));
                TranslateOrRefuse(() => PythonRegex.Translate(pattern, capture));
            }
        }).WaitAsync(Bound);
    }

    [Theory]
    [InlineData(@"a\U0000004", "8 hex digits")]
    [InlineData(@"a\UzzzzzzzzB", "8 hex digits")]
    [InlineData(@"a\U00110000", "8 hex digits")]
    [InlineData(@"x(?(1", "unterminated conditional group at 1")]
    public void Translate_MalformedPython_RefusedWithTheReason(string pattern, string reason)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => PythonRegex.Translate(pattern));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ConditionalOnAGroupNumberBeyondInt32_IsTranslated()
    {
        var translated = PythonRegex.Translate("(a)?(?(99999999999999999999)b|c)", keepUnnamedGroups: false);

        Assert.Contains("(?(99999999999999999999)", translated.Pattern, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NulInLogpath_IsAnErrorOfThatJailOnly()
    {
        var result = JailConfigLoader.LoadText("/fuzz/jail.conf", "[sshd]\nenabled = true\nlogpath = /var/log/a\0b\naction =\n[other]\nenabled = true\nfilter = sshd\nlogpath = /dev/null\naction =\n");

        var error = Assert.Single(result.Errors);
        Assert.Contains("logpath '/var/log/a?b' contains a NUL character", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.Equal("other", Assert.Single(result.Jails).Name);
    }

    private static void TranslateOrRefuse(Action translate)
    {
        try
        {
            translate();
        }
        catch (ArgumentException)
        {
        }
    }

    // The fuzz target's view of its input: UTF-8 with invalid sequences replaced.
    private static string Text(string file) => new UTF8Encoding(false, false).GetString(File.ReadAllBytes(Repository.PathOf("tests", "Warden.Fuzz", "crashers", file)));

    private static TheoryData<string> Inputs(string target)
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Repository.PathOf("tests", "Warden.Fuzz", "crashers", target)).Order(StringComparer.Ordinal))
        {
            data.Add(Path.Combine(target, Path.GetFileName(path)));
        }

        return data;
    }
}
