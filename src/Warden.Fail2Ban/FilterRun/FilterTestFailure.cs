namespace Warden.Fail2Ban.FilterRun;

/// <summary>One failure found by <c>warden test</c>.</summary>
/// <param name="Line">1-based line number in the log.</param>
/// <param name="Id">The failure id: the normalised address, or the F-ID value.</param>
/// <param name="Time">The line's time.</param>
/// <param name="Regex">Index of the failregex that found it.</param>
public sealed record FilterTestFailure(long Line, string Id, DateTimeOffset Time, int Regex);
