using System.Globalization;

namespace Warden.Fail2Ban.FilterRun;

/// <summary>
/// A one-line progress bar redrawn with a carriage return, for a terminal only (the caller decides
/// that). Redraws at most ten times a second; <see cref="Finish"/> clears the line.
/// </summary>
public sealed class TerminalProgress(TextWriter output, long total, TimeProvider time) : IProgress<long>
{
    private const int Width = 30;
    private long _lastDraw;

    /// <inheritdoc />
    public void Report(long value)
    {
        var now = time.GetTimestamp();
        if (total <= 0 || time.GetElapsedTime(_lastDraw, now) < TimeSpan.FromMilliseconds(100))
        {
            return;
        }

        _lastDraw = now;
        var fraction = Math.Clamp(value / (double)total, 0, 1);
        var filled = (int)(fraction * Width);
        output.Write(string.Create(CultureInfo.InvariantCulture, $"\r[{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,5:0.0}% {value / 1048576.0:0} MB"));
        output.Flush();
    }

    /// <summary>Erases the bar.</summary>
    public void Finish()
    {
        output.Write("\r" + new string(' ', Width + 24) + "\r");
        output.Flush();
    }
}
