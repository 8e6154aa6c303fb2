using Warden.Fail2Ban.Regexes;

namespace Warden.Fuzz.Targets;

/// <summary>
/// The Python-regex translators, for PCRE2 (PythonToPcre2) and for .NET (PythonRegex), both ways
/// of treating unnamed groups; a pattern they cannot translate is an <see cref="ArgumentException"/>.
/// </summary>
internal static class RegexTarget
{
    public static void Run(string pattern)
    {
        foreach (var capture in (ReadOnlySpan<bool>)[true, false])
        {
            try
            {
                _ = PythonToPcre2.Translate(pattern, capture);
            }
            catch (ArgumentException)
            {
            }

            try
            {
                _ = PythonRegex.Translate(pattern, capture);
            }
            catch (ArgumentException)
            {
            }
        }
    }
}
