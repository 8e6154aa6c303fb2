namespace Warden.Core.Detections;

/// <summary>
/// Turns log lines into failures: the port a filter language implements (fail2ban's filter.d
/// format, a port-scan detector). A filter may keep state between lines (multi-line buffers,
/// fail2ban's MLFID), so an instance belongs to one jail and is not thread-safe.
/// </summary>
public interface ILineFilter
{
    /// <summary>
    /// Processes one line (without its newline) and appends the failures it completes to
    /// <paramref name="detections"/>. Never throws for malformed input: a line the filter cannot
    /// read is simply not a failure.
    /// </summary>
    void Process(string line, ICollection<Detection> detections);
}
