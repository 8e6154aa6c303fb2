namespace Warden.Fail2Ban.Dates;

/// <summary>Date fields read by a fast parser (0 year: none written; null offset: no zone written).</summary>
internal readonly record struct FastDate(int Year, int Month, int Day, int Hour, int Minute, int Second, int? OffsetMinutes);
