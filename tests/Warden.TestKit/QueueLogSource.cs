using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Warden.Core.Ports;

namespace Warden.TestKit;

/// <summary>
/// A fake <see cref="ILogSource"/> fed by the test: each <see cref="Write"/> becomes one batch
/// whose checkpoint is the count of lines read so far.
/// </summary>
public sealed class QueueLogSource(string id = "queue:test") : ILogSource
{
    private readonly Channel<string[]> _pending = Channel.CreateUnbounded<string[]>();

    /// <inheritdoc />
    public string Id { get; } = id;

    /// <summary>Lines the test says the source lost (<see cref="ILogSource.Dropped"/>).</summary>
    public long Dropped { get; set; }

    /// <summary>Appends lines (one batch).</summary>
    public void Write(params string[] lines)
    {
        _pending.Writer.TryWrite(lines);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogBatch> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = checkpoint is null ? 0 : int.Parse(checkpoint, System.Globalization.CultureInfo.InvariantCulture);
        yield return new LogBatch([], position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await foreach (var lines in _pending.Reader.ReadAllAsync(cancellationToken))
        {
            position += lines.Length;
            yield return new LogBatch(lines, position.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
