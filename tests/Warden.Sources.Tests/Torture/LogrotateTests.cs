using System.Diagnostics;
using Warden.Sources.Files;
using Warden.TestKit;
using Xunit.Abstractions;

namespace Warden.Sources.Tests.Torture;

/// <summary>
/// Issue 14, finding 2, with Debian's real <c>logrotate</c> (<c>copytruncate</c>, <c>compress</c>,
/// <c>delaycompress</c>, <c>rotate 5</c>) forced again as soon as the writer wrote a few hundred
/// lines: every line must arrive exactly once. The writer never waits for the reader; it is held
/// only while logrotate runs, since logrotate(8) warns that lines written between its copy and its
/// truncation are lost whoever reads. With <c>compress</c>, a generation's copy (<c>.1</c>) is
/// compressed at the rotation after the one that made it; nothing waits for the reader, which
/// finds what it has not read yet in the <c>.gz</c> when it falls more than one rotation behind.
/// </summary>
public sealed class LogrotateTests(ITestOutputHelper output) : IDisposable
{
    private const int Rotations = 60;
    private const int LinesPerGeneration = 300;
    private const int MaxLines = 1_000_000;
    private readonly TempDirectory _dir = new("warden-logrotate");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ReadAsync_RealLogrotateCopytruncate_DeliversEveryLineOnce()
    {
        var path = _dir.File("auth.log");
        var config = _dir.Write("logrotate.conf", $"{path} {{\n    rotate 5\n    copytruncate\n    compress\n    delaycompress\n    missingok\n}}\n");
        var state = _dir.File("logrotate.state");
        var log = new ListLogger();
        using var writer = new UnpacedWriter(path, RotationStyle.CopyTruncate, MaxLines);
        await using var reader = new SequenceReader(FileLogSource.Create(path, new FileSourceOptions(), TimeProvider.System, log), MaxLines + 1);
        await Eventually.TrueAsync(() => reader.Started, TimeSpan.FromSeconds(10), "the first batch");
        var clock = Stopwatch.StartNew();
        writer.Start();
        var rotatedAt = 0L;
        for (var rotation = 1; rotation <= Rotations; rotation++)
        {
            var since = rotatedAt;
            await UnpacedRotationTests.UntilAsync(() => writer.Written - since >= LinesPerGeneration, $"{LinesPerGeneration} lines before rotation {rotation}");
            rotatedAt = await writer.RotateWithAsync(async () => (await Proc.RunAsync("logrotate", ["-f", "-s", state, config])).EnsureSuccess());
        }

        var total = writer.Stop();
        await UnpacedRotationTests.UntilAsync(() => reader.CountOf(total - 1) > 0 || reader.Faulted, "the last line");
        if (reader.Faulted)
        {
            await reader.StopAsync();
        }

        var missing = Enumerable.Range(0, (int)total).Where(s => reader.CountOf(s) == 0).ToList();
        var doubled = Enumerable.Range(0, (int)total).Where(s => reader.CountOf(s) > 1).ToList();
        output.WriteLine($"logrotate copytruncate: {Rotations} rotations, {total} lines in {clock.Elapsed.TotalSeconds:F1} s; {missing.Count} missing, {doubled.Count} doubled, {reader.Garbled} garbled, {reader.Lost} gaps reported");
        if (missing.Count + doubled.Count > 0)
        {
            output.WriteLine($"missing {UnpacedRotationTests.Ranges(missing)}; doubled {UnpacedRotationTests.Ranges(doubled)}; generations start at {string.Join(' ', writer.Starts)}");
            foreach (var entry in log.Entries.TakeLast(60))
            {
                output.WriteLine(entry);
            }
        }

        Assert.True(File.Exists(path + ".2.gz"), "logrotate compressed the older generations");
        Assert.Empty(missing);
        Assert.Empty(doubled);
        Assert.Equal(0, reader.Garbled);
        Assert.Equal(0, reader.Lost);
    }
}
