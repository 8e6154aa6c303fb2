using System.Text;

namespace Warden.Sources.Files;

/// <summary>
/// Cuts a byte stream into lines. A partial last line waits in a buffer for its newline; a line
/// longer than the limit is emitted cut at the limit and the rest of it skipped, so memory stays
/// bounded by the limit whatever the input. Bytes are decoded as UTF-8 with replacement
/// characters, so invalid input never throws. Not thread-safe.
/// </summary>
internal sealed class LineSplitter
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private readonly byte[] _pending;
    private int _pendingLength;

    /// <summary>Creates a splitter whose lines are at most <paramref name="maxLineBytes"/> bytes.</summary>
    public LineSplitter(int maxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _pending = new byte[maxLineBytes];
    }

    /// <summary>Offset just after the last byte that is fully dealt with: the checkpoint offset.</summary>
    public long Committed { get; private set; }

    /// <summary>Offset of the next byte to feed.</summary>
    public long Position { get; private set; }

    /// <summary>True while the tail of a cut line is being skipped up to its newline.</summary>
    public bool Discarding { get; private set; }

    /// <summary>Over-long lines cut since the last <see cref="TakeOverlong"/>.</summary>
    public int Overlong { get; private set; }

    /// <summary>Bytes of a partial line held back.</summary>
    public int PendingLength => _pendingLength;

    /// <summary>Starts over at <paramref name="offset"/> (a new file, a checkpoint, a truncation).</summary>
    public void Reset(long offset, bool discarding)
    {
        Committed = offset;
        Position = offset;
        Discarding = discarding;
        _pendingLength = 0;
    }

    /// <summary>Returns and clears the over-long count.</summary>
    public int TakeOverlong()
    {
        var count = Overlong;
        Overlong = 0;
        return count;
    }

    /// <summary>Splits <paramref name="chunk"/> (the bytes at <see cref="Position"/>) and appends its complete lines.</summary>
    public void Feed(ReadOnlySpan<byte> chunk, List<string> lines)
    {
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            var segment = newline < 0 ? chunk : chunk[..newline];
            if (newline >= 0 && _pendingLength == 0 && !Discarding && segment.Length <= _pending.Length)
            {
                // The common case: a whole line inside the chunk, decoded without a copy.
                lines.Add(Decode(segment));
                Position += segment.Length + 1;
                Committed = Position;
                chunk = chunk[(newline + 1)..];
                continue;
            }

            Append(segment, lines);
            Position += segment.Length;
            if (newline < 0)
            {
                return;
            }

            EndLine(lines);
            Position++;
            Committed = Position;
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>
    /// Emits the partial line held back as a line of its own: the file it came from is finished
    /// (rotated away) and its newline will never come.
    /// </summary>
    public void Flush(List<string> lines)
    {
        if (_pendingLength > 0)
        {
            EndLine(lines);
        }

        Discarding = false;
        Committed = Position;
    }

    private void Append(ReadOnlySpan<byte> segment, List<string> lines)
    {
        if (Discarding)
        {
            Committed = Position + segment.Length;
            return;
        }

        var room = _pending.Length - _pendingLength;
        if (segment.Length <= room)
        {
            segment.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += segment.Length;
            return;
        }

        // The line outgrows the limit: emit what fits now and skip the rest up to its newline,
        // recording that in the checkpoint so a restart skips it too.
        segment[..room].CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = _pending.Length;
        lines.Add(Decode(_pending));
        _pendingLength = 0;
        Overlong++;
        Discarding = true;
        Committed = Position + segment.Length;
    }

    private void EndLine(List<string> lines)
    {
        if (Discarding)
        {
            Discarding = false;
            return;
        }

        var line = _pending.AsSpan(0, _pendingLength);
        _pendingLength = 0;
        lines.Add(Decode(line));
    }

    private static string Decode(ReadOnlySpan<byte> line)
    {
        // fail2ban strips the line ending including a carriage return (server/filter.py).
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        return line.IsEmpty ? string.Empty : Utf8.GetString(line);
    }
}
