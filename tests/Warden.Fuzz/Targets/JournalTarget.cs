using Warden.Sources.Journal;

namespace Warden.Fuzz.Targets;

/// <summary>One <c>journalctl -o json</c> line through JournalEntry (null when it is not an object) and rendered as a filter line.</summary>
internal static class JournalTarget
{
    public static void Run(string json)
    {
        var entry = JournalEntry.Parse(json);
        if (entry is not null)
        {
            _ = entry.Cursor;
            _ = entry.Render(TimeZoneInfo.Utc);
        }
    }
}
