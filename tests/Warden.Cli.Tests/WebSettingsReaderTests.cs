using System.Net;
using Warden.Cli.Hosting;
using Warden.TestKit;
using static Warden.Cli.Tests.WardenConf;

namespace Warden.Cli.Tests;

public sealed class WebSettingsReaderTests
{
    [Fact]
    public void Read_ListenOnly_DefaultsTokenFileAndMetricsAuth()
    {
        var (settings, errors, _) = Read("[web]\nlisten = 127.0.0.1:9191\n");

        Assert.Empty(errors);
        var web = Assert.IsType<WebSettings>(settings.Web);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9191), web.Listen);
        Assert.Equal(WebSettings.DefaultTokenFile, web.TokenFile);
        Assert.True(web.MetricsAuth);
        Assert.Equal(0, settings.WebErrors);
    }

    [Fact]
    public void Read_EveryKey_Parsed()
    {
        var (settings, errors, warnings) = Read("[web]\nlisten = [::1]:9200\ntoken_file = /etc/warden/web.token\nmetrics_auth = false\n");

        Assert.Empty(errors);
        Assert.Empty(warnings);
        Assert.Equal(new WebSettings { Listen = new IPEndPoint(IPAddress.IPv6Loopback, 9200), TokenFile = "/etc/warden/web.token", MetricsAuth = false }, settings.Web);
    }

    [Theory]
    [InlineData("0.0.0.0:9191")]
    [InlineData("192.0.2.1:9191")]
    [InlineData("[::]:9191")]
    public void Read_MetricsWithoutAuthOnAnAddressThatIsNotLoopback_IsAnErrorAtItsLine(string listen)
    {
        var (settings, errors, _) = Read($"[web]\nlisten = {listen}\n\nmetrics_auth = no\n", out var path);

        var error = Assert.Single(errors);
        Assert.Equal((path, 4), (error.File, error.Line));
        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
        Assert.Null(settings.Web);
        Assert.Equal(1, settings.WebErrors);
    }

    [Theory]
    [InlineData("listen = 9191", 2)]
    [InlineData("listen = localhost:9191", 2)]
    [InlineData("listen = 127.0.0.1", 2)]
    [InlineData("listen = 127.0.0.1:0", 2)]
    [InlineData("listen = ::1:9191", 2)]
    [InlineData("listen = 127.0.0.1:9191\ntoken_file = web.token", 3)]
    [InlineData("listen = 127.0.0.1:9191\nmetrics_auth = maybe", 3)]
    public void Read_BadValue_IsAnErrorNamingFileAndLine(string body, int line)
    {
        var (settings, errors, _) = Read($"[web]\n{body}\n", out var path);

        var error = Assert.Single(errors);
        Assert.Equal((path, line), (error.File, error.Line));
        Assert.StartsWith("[web] ", error.Message, StringComparison.Ordinal);
        Assert.Null(settings.Web);
    }

    [Fact]
    public void Read_NoSection_ListenerOff()
    {
        var (settings, errors, _) = Read("[warden]\nhistory = 7d\n");

        Assert.Empty(errors);
        Assert.Null(settings.Web);
    }

    [Fact]
    public void LoadOrCreate_MissingFile_CreatesOwnerOnlyRandomTokenAndKeepsIt()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "sub", "web.token");

        var (token, created) = TokenFile.LoadOrCreate(path);
        var (again, createdAgain) = TokenFile.LoadOrCreate(path);
        var (other, _) = TokenFile.LoadOrCreate(Path.Combine(dir.Path, "other.token"));

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(token, again);
        Assert.NotEqual(token, other);
        Assert.Matches("^[0-9a-f]{64}$", token);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void LoadOrCreate_EmptyFile_Throws()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("web.token", "\n");

        Assert.Throws<IOException>(() => TokenFile.LoadOrCreate(path));
    }
}
