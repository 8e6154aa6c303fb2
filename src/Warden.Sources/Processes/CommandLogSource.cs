using System.Runtime.CompilerServices;
using Warden.Core.Ports;

namespace Warden.Sources.Processes;

/// <summary>
/// Reads the standard output of a command (<c>tcpdump -l -n ...</c>, <c>docker logs -f --since 0s
/// NAME</c>, anything that prints log lines). The command is started from an argument list, never
/// through a shell; its standard input is closed; it is killed when reading stops. When it ends on
/// its own, <see cref="ReadAsync"/> throws with its exit code and the tail of its standard error,
/// so the engine starts it again after its back-off.
/// </summary>
/// <remarks>
/// A pipe has no position to resume at: the checkpoint is always <see cref="Token"/>, and what the
/// command printed while Warden was down is whatever the command prints again when started
/// (choose its options, such as <c>docker logs --since</c>, accordingly). One reader at a time.
/// </remarks>
public sealed class CommandLogSource : ILogSource
{
    /// <summary>The checkpoint every batch carries.</summary>
    public const string Token = "c1";

    private readonly IReadOnlyList<string> _argv;
    private readonly int _maxLineBytes;

    private CommandLogSource(IReadOnlyList<string> argv, int maxLineBytes)
    {
        _argv = argv;
        _maxLineBytes = maxLineBytes;
        Id = "command:" + string.Join(' ', argv);
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <summary>Creates a source for <paramref name="argv"/> (program first); nothing runs until it is read.</summary>
    /// <exception cref="ArgumentException">No program is given.</exception>
    public static CommandLogSource Create(IReadOnlyList<string> argv, int maxLineBytes = 64 * 1024)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count == 0 || string.IsNullOrWhiteSpace(argv[0]))
        {
            throw new ArgumentException("a command needs a program", nameof(argv));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        return new CommandLogSource([.. argv], maxLineBytes);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogBatch> ReadAsync(string? checkpoint, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = ChildProcess.Start(Id, _argv, redirectInput: true);
        command.CloseInput();
        yield return new LogBatch([], Token);
        await foreach (var (lines, overlong) in StreamLines.ReadAsync(command.Output, _maxLineBytes, cancellationToken))
        {
            yield return new LogBatch(lines, Token) { Overlong = overlong };
        }

        var code = await command.WaitForExitAsync(cancellationToken);
        throw new LogSourceException(Id, $"{command.Description} ended with exit code {code}: {command.ErrorTail}");
    }
}
