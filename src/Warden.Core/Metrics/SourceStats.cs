using System.Diagnostics.Metrics;

namespace Warden.Core.Metrics;

/// <summary>
/// What the engine read from one source: lines, cut lines and when the last line came (for a
/// stale-source alert: a log that stops growing usually means a broken logger or a moved file,
/// and a jail that silently watches nothing). Written by the engine loop, readable from any thread.
/// </summary>
public sealed class SourceStats
{
    private static readonly Counter<long> LinesInstrument = CoreMeter.Meter.CreateCounter<long>("source_lines_read", "{line}", "Lines read from the source");
    private static readonly Counter<long> CutInstrument = CoreMeter.Meter.CreateCounter<long>("source_lines_cut", "{line}", "Lines longer than the source's limit, cut to it");
    private static readonly Counter<long> LostInstrument = CoreMeter.Meter.CreateCounter<long>("source_lost", "{gap}", "Places where data the source had not read yet was gone (its file deleted or compressed away); each is logged with the file");

    private readonly KeyValuePair<string, object?> _sourceTag;
    private long _lines;
    private long _cut;
    private long _lost;
    private long _lastLineTicks;

    internal SourceStats(string source) => _sourceTag = new("source", source);

    /// <summary>The source's id (<see cref="Ports.ILogSource.Id"/>).</summary>
    public string Source => (string)_sourceTag.Value!;

    /// <summary>Lines read.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary>Over-long lines that were cut.</summary>
    public long Cut => Interlocked.Read(ref _cut);

    /// <summary>Gaps: places where unread data was gone (<see cref="Ports.LogBatch.Lost"/>).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>When the engine got the last line, as the engine's clock says; <c>null</c> before the first.</summary>
    public DateTimeOffset? LastLine => Interlocked.Read(ref _lastLineTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    internal KeyValuePair<string, object?> SourceTag => _sourceTag;

    /// <summary>Counts a batch of <paramref name="lines"/> lines, <paramref name="cut"/> of them cut, received at <paramref name="at"/>, and the <paramref name="lost"/> gaps it reported.</summary>
    internal void Add(int lines, int cut, int lost, DateTimeOffset at)
    {
        if (lost > 0)
        {
            Interlocked.Add(ref _lost, lost);
            LostInstrument.Add(lost, _sourceTag);
        }

        if (lines == 0)
        {
            return;
        }

        Interlocked.Add(ref _lines, lines);
        Interlocked.Exchange(ref _lastLineTicks, at.UtcTicks);
        LinesInstrument.Add(lines, _sourceTag);
        if (cut > 0)
        {
            Interlocked.Add(ref _cut, cut);
            CutInstrument.Add(cut, _sourceTag);
        }
    }
}
