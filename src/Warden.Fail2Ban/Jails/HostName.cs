namespace Warden.Fail2Ban.Jails;

/// <summary>Host names as RFC 1123 allows them (letters, digits, hyphens, dot-separated labels).</summary>
internal static class HostName
{
    public static bool IsValid(string text)
    {
        if (text.Length is 0 or > 253 || !text.Any(char.IsAsciiLetter))
        {
            return false;
        }

        foreach (var label in text.TrimEnd('.').Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
