namespace Warden.Sources.Files;

/// <summary>A file to read from <paramref name="Offset"/> to its end (or on, when it is the live one).</summary>
internal readonly record struct Segment(LogFile File, long Offset, bool Discarding);
