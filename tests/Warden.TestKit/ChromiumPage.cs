using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Warden.TestKit;

/// <summary>
/// Debian's headless Chromium, started by a test in a network namespace and driven over the
/// DevTools protocol through <c>--remote-debugging-pipe</c> (NUL-separated JSON on fds 3 and
/// 4), so nothing listens on a port: the test evaluates script in the page, as a user's clicks
/// would, and takes screenshots. A fresh profile in a temporary directory; killed on dispose.
/// </summary>
public sealed class ChromiumPage : IDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<byte> _pending = [];
    private int _next;
    private string _session = string.Empty;

    private ChromiumPage(Process process, TempDirectory profile)
    {
        _process = process;
        _profile = profile;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    /// <summary>What Chromium printed on stderr so far (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts Chromium in <paramref name="ns"/> on <paramref name="url"/> and attaches to its page.</summary>
    public static async Task<ChromiumPage> OpenAsync(NetworkNamespace ns, string url)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var profile = new TempDirectory("warden-chromium");
        // fd 3 reads the test's commands (stdin), fd 4 writes the answers (stdout); Chromium's own
        // stdout goes to stderr.
        const string Launch = "exec chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
            + "--disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars --window-size=1400,2000 "
            + "--remote-debugging-pipe --user-data-dir=\"$1\" \"$2\" 3<&0 4>&1 1>&2";
        var start = Proc.Start("ip", ["netns", "exec", ns.Name, "bash", "-c", Launch, "bash", profile.Path, url]);
        start.RedirectStandardInput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start chromium");
        var page = new ChromiumPage(process, profile);
        try
        {
            string? target = null;
            await Eventually.TrueAsync(
                async () =>
                {
                    var targets = await page.SendAsync("Target.getTargets", new JsonObject(), browser: true);
                    target = targets["targetInfos"]!.AsArray().FirstOrDefault(t => (string?)t!["type"] == "page")?["targetId"]?.GetValue<string>();
                    return target is not null;
                },
                TimeSpan.FromSeconds(30),
                () => "a page target. Chromium:\n" + page.Log);
            var attached = await page.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target, ["flatten"] = true }, browser: true);
            page._session = attached["sessionId"]!.GetValue<string>();
            return page;
        }
        catch
        {
            page.Dispose();
            throw;
        }
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } error)
        {
            throw new InvalidOperationException($"script failed: {error.ToJsonString()}");
        }

        return result["result"]?["value"];
    }

    /// <summary>Waits until <paramref name="condition"/> (a script expression) is true in the page.</summary>
    public Task WaitForAsync(string condition, TimeSpan timeout, Func<string> what) =>
        Eventually.TrueAsync(async () => (await EvaluateAsync($"!!({condition})"))?.GetValue<bool>() == true, timeout, what);

    /// <summary>Saves a PNG screenshot of the whole page to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Proc.KillAndDispose(_process);
        _gate.Dispose();
        _profile.Dispose();
    }

    // One command at a time: write it, then read messages until its answer (events are skipped).
    private async Task<JsonNode> SendAsync(string method, JsonObject parameters, bool browser = false)
    {
        await _gate.WaitAsync();
        try
        {
            var id = ++_next;
            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
            if (!browser)
            {
                message["sessionId"] = _session;
            }

            await _input.WriteAsync(Encoding.UTF8.GetBytes(message.ToJsonString() + "\0"));
            await _input.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var reply = JsonNode.Parse(await ReadMessageAsync(timeout.Token))!;
                if (reply["id"] is { } got && got.GetValue<int>() == id)
                {
                    return reply["error"] is { } error
                        ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}")
                        : reply["result"] ?? new JsonObject();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<string> ReadMessageAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        while (true)
        {
            var end = _pending.IndexOf(0);
            if (end >= 0)
            {
                var text = Encoding.UTF8.GetString([.. _pending.Take(end)]);
                _pending.RemoveRange(0, end + 1);
                return text;
            }

            var count = await _output.ReadAsync(buffer, cancellationToken);
            if (count == 0)
            {
                throw new IOException($"chromium closed the DevTools pipe. Chromium:\n{Log}");
            }

            _pending.AddRange(buffer.AsSpan(0, count));
        }
    }
}
