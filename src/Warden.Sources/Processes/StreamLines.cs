using System.Runtime.CompilerServices;
using Warden.Sources.Files;

namespace Warden.Sources.Processes;

/// <summary>Cuts a stream (a pipe) into bounded lines, one list per read, as they arrive.</summary>
internal static class StreamLines
{
    /// <summary>
    /// Reads until the end of <paramref name="stream"/>; each item holds the complete lines of
    /// one read and how many of them were cut. A partial last line is handed out at the end.
    /// </summary>
    public static async IAsyncEnumerable<(List<string> Lines, int Overlong)> ReadAsync(
        Stream stream, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var splitter = new LineSplitter(maxLineBytes);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            // WaitAsync: a read on a pipe or terminal may not observe cancellation itself; the
            // abandoned read ends with the stream.
            var n = await stream.ReadAsync(buffer, cancellationToken).AsTask().WaitAsync(cancellationToken);
            var lines = new List<string>();
            if (n == 0)
            {
                splitter.Flush(lines);
                if (lines.Count > 0)
                {
                    yield return (lines, splitter.TakeOverlong());
                }

                yield break;
            }

            splitter.Feed(buffer.AsSpan(0, n), lines);
            if (lines.Count > 0 || splitter.Overlong > 0)
            {
                yield return (lines, splitter.TakeOverlong());
            }
        }
    }
}
