using Warden.Fail2Ban.Config;
using Warden.Fail2Ban.Jails;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Jails;

/// <summary>
/// Paths that are not regular files, as logpath or include, are refused with a message and
/// without blocking: a FIFO (opening it waits for a writer), a device (/dev/zero never ends), a
/// secret file included by mistake (its content is not quoted).
/// </summary>
public sealed class SpecialFileTests : IDisposable
{
    private static readonly TimeSpan NoBlocking = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new("warden-special");

    [Fact]
    public async Task Load_FifoAsLogpath_IsAnErrorOfThatJailAndDoesNotBlock()
    {
        var fifo = _dir.File("auth.fifo");
        (await Proc.RunAsync("mkfifo", [fifo])).EnsureSuccess();
        _dir.Write("jail.local", $"[sshd]\nenabled = true\nlogpath = {fifo}\naction =\n[other]\nenabled = true\nfilter = sshd\nlogpath = /dev/null\naction =\n");

        var load = Task.Run(() => JailConfigLoader.Load(_dir.Path));
        var result = await load.WaitAsync(NoBlocking);

        var error = Assert.Single(result.Errors);
        Assert.Contains("is a FIFO (named pipe), not a log file", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Line);
        Assert.Equal("other", Assert.Single(result.Jails).Name);
    }

    [Theory]
    [InlineData("/dev/zero", "a character device")]
    [InlineData("/dev/urandom", "a character device")]
    public async Task Load_DeviceAsInclude_IsRefusedWithoutReadingIt(string device, string kind)
    {
        _dir.Write("jail.local", $"[INCLUDES]\nbefore = {device}\n[sshd]\nenabled = true\nlogpath = /dev/null\naction =\n");

        var error = await Task.Run(LoadError).WaitAsync(NoBlocking);

        Assert.Contains(kind, error, StringComparison.Ordinal);
        Assert.Contains(device, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SecretFileAsInclude_ItsContentIsNotQuoted()
    {
        var secret = _dir.Write("shadow", "root:$y$j9T$notreallyahash:19000:0:99999:7:::\n");
        _dir.Write("jail.local", $"[INCLUDES]\nbefore = {secret}\n[sshd]\nenabled = true\nlogpath = /dev/null\naction =\n");

        var error = LoadError();

        Assert.DoesNotContain("notreallyahash", error, StringComparison.Ordinal);
        Assert.Contains(secret, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HugeInclude_IsRefusedBySize()
    {
        var huge = _dir.File("huge.conf");
        using (var stream = File.Create(huge))
        {
            stream.SetLength(SpecialFiles.MaxConfigBytes + 1);
        }

        _dir.Write("jail.local", $"[INCLUDES]\nbefore = {huge}\n[sshd]\nenabled = true\nlogpath = /dev/null\naction =\n");

        Assert.Contains("more than the 4 MiB", LoadError(), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    // The configuration's one error: thrown for the whole configuration, or reported with the jail.
    private string LoadError()
    {
        try
        {
            return Assert.Single(JailConfigLoader.Load(_dir.Path).Errors).ToString();
        }
        catch (ConfigException ex)
        {
            return ex.Error.ToString();
        }
    }
}
