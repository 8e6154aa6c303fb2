namespace Warden.Fail2Ban.Ini;

/// <summary>An option's raw (uninterpolated) value and where it was written.</summary>
/// <param name="Text">The value; continuation lines are joined with '\n'.</param>
/// <param name="File">The file it came from.</param>
/// <param name="Line">The 1-based line of its key.</param>
public sealed record IniValue(string Text, string File, int Line);
