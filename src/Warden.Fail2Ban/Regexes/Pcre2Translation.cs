namespace Warden.Fail2Ban.Regexes;

/// <summary>A Python pattern rewritten for PCRE2.</summary>
/// <param name="Pattern">The PCRE2 pattern.</param>
/// <param name="Options">PCRE2 compile options: Python's global flags and <c>PCRE2_UCP</c> unless ASCII-only.</param>
internal sealed record Pcre2Translation(string Pattern, uint Options);
