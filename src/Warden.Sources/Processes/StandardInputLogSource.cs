using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;
using Warden.Core.Ports;

namespace Warden.Sources.Processes;

/// <summary>
/// Reads Warden's own standard input (<c>logpath = -</c>): <c>some-daemon | warden run</c>. It ends
/// when the input does; it has no position to resume at, so its checkpoint is always
/// <see cref="Token"/>. Read once: a second <see cref="ReadAsync"/> sees an input already at its end.
/// </summary>
public sealed class StandardInputLogSource : ILogSource
{
    /// <summary>The checkpoint every batch carries.</summary>
    public const string Token = "s1";

    private readonly Func<Stream> _open;
    private readonly int _maxLineBytes;

    private StandardInputLogSource(Func<Stream> open, int maxLineBytes)
    {
        _open = open;
        _maxLineBytes = maxLineBytes;
    }

    /// <inheritdoc />
    public string Id => "stdin";

    /// <summary>
    /// Creates the source over file descriptor 0, or over the stream <paramref name="open"/> gives
    /// (tests; the source disposes it).
    /// </summary>
    public static StandardInputLogSource Create(Func<Stream>? open = null, int maxLineBytes = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        return new StandardInputLogSource(open ?? OpenDescriptorZero, maxLineBytes);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogBatch> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var input = _open();
        yield return new LogBatch([], Token);
        await foreach (var (lines, overlong) in StreamLines.ReadAsync(input, _maxLineBytes, cancellationToken))
        {
            yield return new LogBatch(lines, Token) { Overlong = overlong };
        }
    }

    // Not Console.OpenStandardInput: the descriptor itself, left open (the process owns it), read
    // with plain read(2) so a pipe or a redirected file behaves the same.
    private static FileStream OpenDescriptorZero() =>
        new(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
}
