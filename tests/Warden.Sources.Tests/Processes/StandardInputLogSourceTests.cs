using System.IO.Pipes;
using System.Text;
using Warden.Sources.Processes;

namespace Warden.Sources.Tests.Processes;

public sealed class StandardInputLogSourceTests
{
    [Fact]
    public async Task ReadAsync_Pipe_HandsOutLinesUntilItCloses()
    {
        using var writer = new AnonymousPipeServerStream(PipeDirection.Out);
        var reader = new AnonymousPipeClientStream(PipeDirection.In, writer.ClientSafePipeHandle);
        var source = StandardInputLogSource.Create(() => reader, maxLineBytes: 16);
        await using var run = await SourceRun.StartAsync(source, null);

        writer.Write(Encoding.UTF8.GetBytes("one\ntw"));
        await run.WaitForAsync(1);
        writer.Write(Encoding.UTF8.GetBytes("o\n" + new string('x', 40) + "\nno newline"));
        await run.WaitForAsync(3);
        writer.Dispose();
        await run.WaitForAsync(4);

        Assert.Equal(["one", "two", new string('x', 16), "no newline"], run.Lines);
        Assert.Equal(1, run.Overlong);
        Assert.Equal(StandardInputLogSource.Token, run.Checkpoint);
    }
}
