using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Warden.Linux.Journal;

/// <summary>
/// Writes entries to systemd-journald over its native protocol (systemd.journal-fields(7),
/// "Native Journal Protocol"): one datagram per entry to <c>/run/systemd/journal/socket</c>,
/// each field as <c>KEY=value\n</c>, or, when the value holds a newline, as the key, a newline,
/// the value's length as a little-endian 64-bit number, the value and a newline. Without
/// libsystemd: the protocol is the documented interface, as sd_notify's is. Thread-safe.
/// </summary>
public sealed class JournalSocket : IDisposable
{
    /// <summary>Where journald listens for native entries.</summary>
    public const string DefaultPath = "/run/systemd/journal/socket";

    // Far below the socket's send buffer, so one entry is one datagram: a longer value (a stack
    // trace) is cut, and says so.
    private const int MaxValueBytes = 48 * 1024;
    private const string Cut = "\n… (cut: longer than 48 KiB)";

    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly UnixDomainSocketEndPoint _target;

    /// <summary>A writer to the journal at <paramref name="path"/>; nothing is opened until the first entry.</summary>
    /// <param name="path">The journal's native socket.</param>
    public JournalSocket(string path = DefaultPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _target = new UnixDomainSocketEndPoint(path);
    }

    /// <summary>
    /// True when this process's standard error is connected to the journal: systemd sets
    /// <c>$JOURNAL_STREAM</c> to the <c>device:inode</c> of the stream it gave the service, and a
    /// process must compare it with its own stderr (a child of the service inherits the variable
    /// with another stderr; systemd.exec(5), $JOURNAL_STREAM).
    /// </summary>
    /// <param name="journalStream">The value of <c>$JOURNAL_STREAM</c>, or null.</param>
    public static bool IsStandardErrorJournal(string? journalStream)
    {
        if (string.IsNullOrEmpty(journalStream))
        {
            return false;
        }

        var parts = journalStream.Split(':');
        if (parts.Length != 2
            || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var device)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
        {
            return false;
        }

        FileIdentity? stderr;
        try
        {
            stderr = FileIdentity.Of("/proc/self/fd/2");
        }
        catch (IOException)
        {
            return false;
        }

        return stderr is { } id && id.Inode == inode && DeviceNumber(id.Device) == device;
    }

    /// <summary>Sends one entry; false when the journal cannot take it (not running, socket gone), so the caller can write elsewhere.</summary>
    /// <param name="fields">Field names (upper case letters, digits and underscores, not starting with an underscore) and values.</param>
    public bool TrySend(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        try
        {
            _socket.SendTo(Encode(fields), _target);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>One entry in the native protocol's bytes.</summary>
    /// <param name="fields">Field names and values.</param>
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        using var buffer = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        foreach (var (key, text) in fields)
        {
            var value = text.Length > MaxValueBytes / 3 && Encoding.UTF8.GetByteCount(text) > MaxValueBytes
                ? text[..(MaxValueBytes / 3)] + Cut
                : text;
            buffer.Write(Encoding.ASCII.GetBytes(key));
            var bytes = Encoding.UTF8.GetBytes(value);
            if (value.Contains('\n', StringComparison.Ordinal))
            {
                buffer.WriteByte((byte)'\n');
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)bytes.Length);
                buffer.Write(length);
            }
            else
            {
                buffer.WriteByte((byte)'=');
            }

            buffer.Write(bytes);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    /// <summary>A field name journald accepts, from a name such as <c>SourceId</c>: <c>SOURCE_ID</c>.</summary>
    /// <param name="name">A log template's placeholder name.</param>
    public static string FieldName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var field = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsAsciiLetterUpper(c) && field.Length > 0 && field[^1] != '_')
            {
                field.Append('_');
            }

            field.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        // journald drops fields that start with an underscore (trusted) or a digit, and longer than 64.
        var text = field.ToString().TrimStart('_');
        text = text.Length == 0 || char.IsAsciiDigit(text[0]) ? "F_" + text : text;
        return text.Length > 64 ? text[..64] : text;
    }

    /// <inheritdoc />
    public void Dispose() => _socket.Dispose();

    // dev_t as glibc's makedev encodes it (sys/sysmacros.h), from statx's major and minor.
    private static ulong DeviceNumber(ulong majorMinor)
    {
        var major = majorMinor >> 32;
        var minor = majorMinor & 0xffffffff;
        return ((major & 0xfffff000) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffffff00) << 12) | (minor & 0xff);
    }
}
