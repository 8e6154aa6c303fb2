using Microsoft.Extensions.Time.Testing;
using Warden.Core.Detections;
using Warden.Fail2Ban.Filters;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Filters;

public sealed class FilterLoaderTests
{
    private static readonly FakeTimeProvider Time = CreateTime();

    [Fact]
    public void Load_ShippedSshd_DetectsOpenSshFailure()
    {
        var filter = new FilterLoader([], Time).Load("sshd").CreateFilter();
        var found = new List<Detection>();

        filter.Process("Nov 23 01:24:01 srv1 sshd[1234]: Failed password for invalid user admin from 192.0.2.10 port 50312 ssh2", found);

        var detection = Assert.Single(found);
        Assert.Equal("192.0.2.10", detection.Id);
        Assert.Equal(System.Net.IPAddress.Parse("192.0.2.10"), detection.Address);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 1, 24, 1, TimeSpan.Zero), detection.Time);
        Assert.Equal("admin", detection.Fields["user"]);
        Assert.Equal(1, filter.Counters.Matched);
    }

    [Fact]
    public void Process_CarriageReturnAndNoDate_UsesNowAndStripsLineEnd()
    {
        var filter = new FilterLoader([], Time).Load("sshd").CreateFilter();
        var found = new List<Detection>();

        filter.Process("Failed password for root from 192.0.2.20 port 4002 ssh2\r", found);

        Assert.Equal(Time.GetUtcNow(), Assert.Single(found).Time);
    }

    [Fact]
    public void Process_KnownTime_SkipsDateDetection()
    {
        var filter = new FilterLoader([], Time).Load("sshd[logtype=journal]").CreateFilter();
        var found = new List<Detection>();
        var when = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

        filter.Process("srv1 sshd[7]: Invalid user bob from 2001:db8::5 port 22", when, found);

        Assert.Equal(when, Assert.Single(found).Time);
        Assert.Equal("2001:db8::5", found[0].Id);
    }

    [Fact]
    public void Load_ModeOption_SwitchesRegexSet()
    {
        var loader = new FilterLoader([], Time);

        var normal = loader.Load("sshd").FailRegexTexts.Count;
        var aggressive = loader.Load("sshd[mode=aggressive]").FailRegexTexts.Count;

        Assert.True(aggressive > normal);
    }

    [Fact]
    public void Load_UserFilterDirectory_OverridesShippedFilter()
    {
        using var dir = new TempDirectory();
        dir.Write("filter.d/sshd.conf", "[Definition]\nfailregex = ^custom <HOST>$\n");

        var definition = new FilterLoader([dir.Path], Time).Load("sshd");

        Assert.Equal(["^custom <HOST>$"], definition.FailRegexTexts);
    }

    [Fact]
    public void Load_UserLocalFile_ExtendsShippedFilter()
    {
        using var dir = new TempDirectory();
        dir.Write("filter.d/sshd.local", "[Definition]\nignoreregex = for root from\n");

        var definition = new FilterLoader([dir.Path], Time).Load("sshd");
        var found = new List<Detection>();
        definition.CreateFilter().Process("Nov 23 01:24:01 srv1 sshd[1]: Failed password for root from 192.0.2.10 port 1 ssh2", found);

        Assert.Empty(found);
        Assert.Contains(definition.Files, f => f.EndsWith("sshd.local", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_UnknownFilter_ThrowsConfigException()
    {
        var error = Assert.Throws<ConfigException>(() => new FilterLoader([], Time).Load("nosuchfilter"));

        Assert.Contains("nosuchfilter", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Definition]\nfailregex = ^(unclosed <HOST>\n", 2, "not a valid regex")]
    [InlineData("[Definition]\nfailregex = ^no id here$\n", 2, "names no failure id")]
    [InlineData("[Definition]\n\nfailregex = <HOST>\nmaxlines = zero\n", 4, "maxlines")]
    [InlineData("[Definition]\nfailregex = <HOST>\ndatepattern = %Q\n", 3, "datepattern")]
    [InlineData("[Definition]\nfailregex = <HOST>\ndatepattern = ^[%%Y\n", 3, "datepattern '^[%Y' is not a valid regex")]
    [InlineData("[Definition]\nfailregex = <HOST>\ndatepattern = (?P<x %%H\n", 3, "is not a valid regex")]
    [InlineData("[Definition]\nfailregex = %(missing)s <HOST>\n", 2, "missing")]
    [InlineData("[Definition]\nignoreregex = x\n", 0, "no failregex")]
    public void Load_BrokenFilter_ThrowsLocatedError(string content, int line, string fragment)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("filter.d/broken.conf", content);

        var error = Assert.Throws<ConfigException>(() => new FilterLoader([dir.Path], Time, includeShipped: false).Load("broken"));

        Assert.Equal(path, error.Error.File);
        Assert.Equal(line, error.Error.Line);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadForTest_LiteralRegex_BuildsOneRegexFilter()
    {
        var definition = new FilterLoader([], Time).LoadForTest(@"^ app login failed from <HOST>$");
        var found = new List<Detection>();

        definition.CreateFilter().Process("2026-11-23 01:00:00 app login failed from 192.0.2.9", found);

        Assert.Equal("192.0.2.9", Assert.Single(found).Id);
    }

    [Fact]
    public void LoadForTest_PathToFilterFile_LoadsIt()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("mine.conf", "[Definition]\nfailregex = ^bad <HOST>$\n");

        var definition = new FilterLoader([], Time).LoadForTest(path);

        Assert.Equal(["^bad <HOST>$"], definition.FailRegexTexts);
    }

    private static FakeTimeProvider CreateTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        return time;
    }
}
