using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Regexes;

/// <summary>A Python pattern rewritten for .NET.</summary>
/// <param name="Pattern">The .NET pattern.</param>
/// <param name="Options">Flags Python applied globally (<c>(?i)</c> anywhere in the pattern).</param>
/// <param name="GroupNames">The .NET group name of each Python group number (index 0 is the whole match).</param>
internal sealed record TranslatedRegex(string Pattern, RegexOptions Options, IReadOnlyList<string> GroupNames);
