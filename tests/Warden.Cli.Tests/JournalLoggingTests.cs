using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Warden.Cli.Hosting;
using Warden.Linux.Journal;
using Warden.TestKit;

namespace Warden.Cli.Tests;

/// <summary>
/// The daemon's journal logging as journald receives it: a datagram socket in a temporary
/// directory plays journald's native socket, and each entry is decoded with the protocol's rules.
/// </summary>
public sealed partial class JournalLoggingTests : IDisposable
{
    private readonly TempDirectory _dir = new("warden-journal-log");
    private readonly Socket _journald = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string _path;

    public JournalLoggingTests()
    {
        _path = _dir.File("socket");
        _journald.Bind(new UnixDomainSocketEndPoint(_path));
        _journald.ReceiveTimeout = 5000;
    }

    [Fact]
    public void Log_Ban_SendsMessagePriorityAndJailAndAddressFields()
    {
        using (var logs = Logging.ToJournal(new JournalSocket(_path), LogLevel.Information))
        {
            Banned(logs.CreateLogger("Warden.Engine"), "sshd", "192.0.2.7", 3);
        }

        var entry = Receive();
        Assert.Equal("[sshd] Ban 192.0.2.7 (3 failures)", entry["MESSAGE"]);
        Assert.Equal("4", entry["PRIORITY"]);
        Assert.Equal("sshd", entry["JAIL"]);
        Assert.Equal("192.0.2.7", entry["ADDRESS"]);
        Assert.Equal("3", entry["FAILURES"]);
        Assert.Equal("warden", entry["SYSLOG_IDENTIFIER"]);
        Assert.Equal("Warden.Engine", entry["WARDEN_CATEGORY"]);
        Assert.Equal("4242", entry["WARDEN_EVENT_ID"]);
    }

    [Fact]
    public void Log_Exception_SendsTheMultiLineMessageInTheBinaryForm()
    {
        using (var logs = Logging.ToJournal(new JournalSocket(_path), LogLevel.Information))
        {
            Failed(logs.CreateLogger("Warden.Firewall"), "nftables", new InvalidOperationException("table gone\nsecond line"));
        }

        var entry = Receive();
        Assert.StartsWith("Firewall nftables failed\nSystem.InvalidOperationException: table gone\nsecond line", entry["MESSAGE"], StringComparison.Ordinal);
        Assert.Equal("3", entry["PRIORITY"]);
        Assert.Equal("nftables", entry["FIREWALL"]);
    }

    [Fact]
    public void Log_BelowTheLevel_SendsNothing()
    {
        using (var logs = Logging.ToJournal(new JournalSocket(_path), LogLevel.Warning))
        {
            var log = logs.CreateLogger("Warden");
            Found(log, "sshd", "192.0.2.8");
            Banned(log, "sshd", "192.0.2.8", 5);
        }

        var entry = Receive();
        Assert.Equal("192.0.2.8", entry["ADDRESS"]);
        Assert.Equal("5", entry["FAILURES"]);
    }

    [Theory]
    [InlineData("SourceId", "SOURCE_ID")]
    [InlineData("Jail", "JAIL")]
    [InlineData("_Private", "PRIVATE")]
    [InlineData("9Lives", "F_9_LIVES")]
    [InlineData("a-b", "A_B")]
    public void FieldName_IsWhatJournaldAccepts(string name, string field) =>
        Assert.Equal(field, JournalSocket.FieldName(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("1:2:3")]
    [InlineData("0:1")]
    public void IsStandardErrorJournal_NotThisProcessesStderr_IsFalse(string? journalStream) =>
        Assert.False(JournalSocket.IsStandardErrorJournal(journalStream));

    public void Dispose()
    {
        _journald.Dispose();
        _dir.Dispose();
    }

    [LoggerMessage(4242, LogLevel.Warning, "[{Jail}] Ban {Target} ({Failures} failures)")]
    private static partial void Banned(ILogger logger, string jail, string target, int failures);

    [LoggerMessage(4243, LogLevel.Error, "Firewall {Firewall} failed")]
    private static partial void Failed(ILogger logger, string firewall, Exception error);

    [LoggerMessage(4244, LogLevel.Information, "[{Jail}] found {Address}")]
    private static partial void Found(ILogger logger, string jail, string address);

    // The native protocol, decoded as journald does (journal-fields(7)): KEY=VALUE\n, or KEY\n,
    // a 64-bit little-endian length, the value and \n.
    private Dictionary<string, string> Receive()
    {
        var buffer = new byte[65536];
        var length = _journald.Receive(buffer);
        var data = buffer.AsSpan(0, length);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!data.IsEmpty)
        {
            var end = data.IndexOfAny((byte)'=', (byte)'\n');
            Assert.True(end > 0, "a field name");
            var key = Encoding.ASCII.GetString(data[..end]);
            if (data[end] == (byte)'=')
            {
                var newline = data[(end + 1)..].IndexOf((byte)'\n');
                fields.Add(key, Encoding.UTF8.GetString(data.Slice(end + 1, newline)));
                data = data[(end + 2 + newline)..];
            }
            else
            {
                var size = (int)BinaryPrimitives.ReadUInt64LittleEndian(data[(end + 1)..]);
                fields.Add(key, Encoding.UTF8.GetString(data.Slice(end + 9, size)));
                Assert.Equal((byte)'\n', data[end + 9 + size]);
                data = data[(end + 10 + size)..];
            }
        }

        return fields;
    }
}
