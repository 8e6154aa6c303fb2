using System.Text.Unicode;

namespace Warden.Fail2Ban.FilterRun;

/// <summary>
/// Splits a byte stream into lines with fixed buffers, so a file of any size is read in bounded
/// memory; lines are decoded from UTF-8 (invalid bytes become U+FFFD) into a reused character
/// buffer, without a string per line, and cut at <see cref="MaxLineBytes"/> (the rest of an
/// overlong line is skipped). Not thread-safe.
/// </summary>
internal sealed class LineReader(Stream stream)
{
    public const int MaxLineBytes = 64 * 1024;
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly char[] _chars = new char[MaxLineBytes];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _skipping;

    /// <summary>Bytes consumed so far (for progress).</summary>
    public long Position { get; private set; }

    /// <summary>The next line without its line end, valid until the next call; false at the end.</summary>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var bytes = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                Position += newline + 1;
                if (_skipping)
                {
                    _skipping = false;
                    continue;
                }

                line = Decode(bytes);
                return true;
            }

            if (_eof)
            {
                if (_start == _end || _skipping)
                {
                    Position += _end - _start;
                    _start = _end;
                    line = default;
                    return false;
                }

                var rest = _buffer.AsSpan(_start, _end - _start);
                Position += rest.Length;
                _start = _end;
                line = Decode(rest);
                return true;
            }

            if (_skipping && _end - _start >= MaxLineBytes)
            {
                // Still inside an overlong line whose head was returned: drop what was read of it.
                Position += _end - _start;
                _start = _end = 0;
                Fill();
                continue;
            }

            if (_end - _start >= MaxLineBytes)
            {
                // Overlong line: return its head now, drop the rest up to the newline.
                line = Decode(_buffer.AsSpan(_start, MaxLineBytes));
                Position += _end - _start;
                _start = _end = 0;
                _skipping = true;
                return true;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private ReadOnlySpan<char> Decode(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.IsEmpty && bytes[^1] == '\r')
        {
            bytes = bytes[..^1];
        }

        Utf8.ToUtf16(bytes, _chars, out _, out var written, replaceInvalidSequences: true);
        return _chars.AsSpan(0, written);
    }
}
