namespace Warden.Fail2Ban.Dates;

/// <summary>Date fields read by a fast parser (0 year: none written; null offset: no zone written).</summary>
internal readonly record struct FastDate(int Year, int Month, int Day, int Hour, int Minute, int Second, int? OffsetMinutes)
{
    /// <summary>
    /// False for a day the month never has, whatever the year ("Nov 31"), which the fast reader
    /// accepts and datetime() would refuse: such a date takes the full path.
    /// </summary>
    public bool PlausibleDay =>
        Day <= 28 || (Month != 2 && (Day <= 30 || Month is 1 or 3 or 5 or 7 or 8 or 10 or 12));
}
