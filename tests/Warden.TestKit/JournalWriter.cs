using System.Text;

namespace Warden.TestKit;

/// <summary>
/// Writes real journal files with systemd's own tool: entries in the journal export format
/// (systemd.io/JOURNAL_EXPORT_FORMATS) fed to systemd-journal-remote, which appends them to
/// <c>DIR/remote.journal</c>. No journald runs on the test machine; journalctl reads the files.
/// </summary>
public sealed class JournalWriter(string directory)
{
    private const string Boot = "0123456789abcdef0123456789abcdef";
    private static readonly string Remote = File.Exists("/lib/systemd/systemd-journal-remote")
        ? "/lib/systemd/systemd-journal-remote"
        : "/usr/lib/systemd/systemd-journal-remote";

    private long _monotonic = 1_000_000;
    private int _batch;

    /// <summary>The journal directory (journalctl --directory).</summary>
    public string Directory { get; } = directory;

    /// <summary>Appends entries (field maps) to the journal.</summary>
    public async Task WriteAsync(params IReadOnlyDictionary<string, string>[] entries)
    {
        var export = new MemoryStream();
        foreach (var fields in entries)
        {
            _monotonic += 1_000_000;
            var all = new Dictionary<string, string>(fields);
            all.TryAdd("__REALTIME_TIMESTAMP", (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture));
            all.TryAdd("__MONOTONIC_TIMESTAMP", _monotonic.ToString(System.Globalization.CultureInfo.InvariantCulture));
            all.TryAdd("_BOOT_ID", Boot);
            foreach (var (key, value) in all)
            {
                var bytes = Encoding.UTF8.GetBytes(value);
                if (value.Contains('\n', StringComparison.Ordinal))
                {
                    // Binary-safe form: name, newline, 64-bit little-endian length, data, newline.
                    export.Write(Encoding.ASCII.GetBytes(key + "\n"));
                    export.Write(BitConverter.GetBytes((ulong)bytes.Length));
                    export.Write(bytes);
                    export.WriteByte((byte)'\n');
                }
                else
                {
                    export.Write(Encoding.UTF8.GetBytes($"{key}={value}\n"));
                }
            }

            export.WriteByte((byte)'\n');
        }

        var file = Path.Combine(Directory, $"batch{Interlocked.Increment(ref _batch)}.export");
        await File.WriteAllBytesAsync(file, export.ToArray());
        (await Proc.RunAsync(Remote, ["--output=" + Path.Combine(Directory, "remote.journal"), file])).EnsureSuccess();
        File.Delete(file);
    }

    /// <summary>An sshd-like entry.</summary>
    public static Dictionary<string, string> Entry(string message, string comm = "sshd", int pid = 4242) => new()
    {
        ["_HOSTNAME"] = "srv1",
        ["SYSLOG_IDENTIFIER"] = comm,
        ["_COMM"] = comm,
        ["_PID"] = pid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["_SYSTEMD_UNIT"] = comm + ".service",
        ["MESSAGE"] = message,
    };
}
