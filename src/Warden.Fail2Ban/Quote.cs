namespace Warden.Fail2Ban;

/// <summary>How a configured value is quoted in an error: never whole when long (a 10 MB value
/// would flood the log), cut to a fixed number of characters and marked as cut.</summary>
internal static class Quote
{
    /// <summary><paramref name="text"/> when it has at most <paramref name="max"/> characters, else its first ones and "...".</summary>
    public static string Clip(string text, int max = 60) => text.Length > max ? string.Concat(text.AsSpan(0, max - 3), "...") : text;
}
