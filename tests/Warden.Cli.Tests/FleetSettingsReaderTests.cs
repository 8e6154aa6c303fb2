using Warden.Cli.Hosting;
using static Warden.Cli.Tests.WardenConf;

namespace Warden.Cli.Tests;

public sealed class FleetSettingsReaderTests
{
    private const string Minimal = """
        [fleet]
        redis = redis://10.9.0.1:6380
        node = web-1
        key_file = /etc/warden/fleet/web-1.key
        peers_dir = /etc/warden/fleet/peers
        """;

    [Fact]
    public void Read_MinimalSection_DefaultsForTheRest()
    {
        var (settings, errors, _) = Read(Minimal);

        Assert.Empty(errors);
        var fleet = Assert.IsType<FleetSettings>(settings.Fleet);
        Assert.Equal("redis://10.9.0.1:6380/", fleet.Redis.ToString());
        Assert.Equal("web-1", fleet.Node);
        Assert.Equal("/etc/warden/fleet/web-1.key", fleet.KeyFile);
        Assert.Equal("/etc/warden/fleet/peers", fleet.PeersDir);
        Assert.Null(fleet.Share);
        Assert.Null(fleet.Accept);
        Assert.Null(fleet.User);
        Assert.Equal(24, fleet.MaxPrefix4);
        Assert.Equal(48, fleet.MaxPrefix6);
        Assert.Equal(TimeSpan.FromDays(7), fleet.MaxBanTime);
        Assert.Equal(TimeSpan.FromMinutes(5), fleet.Republish);
        Assert.Equal(1, fleet.Place.Line);
    }

    [Fact]
    public void Read_EveryKey_Parsed()
    {
        var (settings, errors, warnings) = Read(Minimal + """

            user = warden-web-1
            password_file = /etc/warden/fleet/redis.pass
            share = sshd, nginx-http-auth
            accept = sshd
            max_prefix4 = 16
            max_prefix6 = 64
            max_bantime = 1d
            republish = 30s
            queue = 500
            """);

        Assert.Empty(errors);
        Assert.Empty(warnings);
        var fleet = settings.Fleet!;
        Assert.Equal("warden-web-1", fleet.User);
        Assert.Equal("/etc/warden/fleet/redis.pass", fleet.PasswordFile);
        Assert.Equal(["nginx-http-auth", "sshd"], fleet.Share!.Order());
        Assert.Equal(["sshd"], fleet.Accept!);
        Assert.Equal(16, fleet.MaxPrefix4);
        Assert.Equal(64, fleet.MaxPrefix6);
        Assert.Equal(TimeSpan.FromDays(1), fleet.MaxBanTime);
        Assert.Equal(TimeSpan.FromSeconds(30), fleet.Republish);
        Assert.Equal(500, fleet.Queue);
    }

    [Fact]
    public void Read_ShareAll_MeansEveryJail()
    {
        var (settings, errors, _) = Read(Minimal + "\nshare = all\naccept =\n");

        Assert.Empty(errors);
        Assert.Null(settings.Fleet!.Share);
        Assert.Empty(settings.Fleet.Accept!);
    }

    [Theory]
    [InlineData("redis = http://10.0.0.1:6379", 2, "redis")]
    [InlineData("redis = redis://user:pw@10.0.0.1:6379", 2, "credentials")]
    [InlineData("node = web 1", 3, "not a node name")]
    [InlineData("key_file = fleet/web-1.key", 4, "absolute path")]
    [InlineData("max_prefix4 = 33", 6, "1 to 32")]
    [InlineData("max_prefix6 = wide", 6, "1 to 128")]
    [InlineData("max_bantime = 7 parsecs", 6, "unknown time unit")]
    [InlineData("republish = 0", 6, "longer than zero")]
    [InlineData("share = sshd, ng!nx", 6, "'ng!nx' is not a jail name")]
    [InlineData("queue = -5", 6, "positive number")]
    public void Read_BadValue_ErrorNamesFileAndLineAndFleetIsOff(string line, int lineNumber, string message)
    {
        var key = line[..line.IndexOf(' ', StringComparison.Ordinal)];
        var text = string.Join('\n', Minimal.Split('\n').Where(l => !l.StartsWith(key + " ", StringComparison.Ordinal)));
        text = lineNumber < 6
            ? string.Join('\n', text.Split('\n').Take(lineNumber - 1).Append(line).Concat(text.Split('\n').Skip(lineNumber - 1)))
            : text + "\n" + line;

        var (settings, errors, _) = Read(text, out var path);

        var error = Assert.Single(errors);
        Assert.Equal(path, error.File);
        Assert.Equal(lineNumber, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("[fleet] " + key, error.Message, StringComparison.Ordinal);
        Assert.Null(settings.Fleet);
    }

    [Fact]
    public void Read_MissingRequiredKeys_ErrorAtSectionHeader()
    {
        var (settings, errors, _) = Read("[warden]\nstate = /var/lib/warden/w.db\n\n[fleet]\nredis = redis://10.0.0.1\n", out var path);

        var error = Assert.Single(errors);
        Assert.Equal(path, error.File);
        Assert.Equal(4, error.Line);
        Assert.Contains("needs node, key_file, peers_dir", error.Message, StringComparison.Ordinal);
        Assert.Null(settings.Fleet);
        Assert.Equal("/var/lib/warden/w.db", settings.StatePath);
    }

    [Fact]
    public void Read_UnknownKey_Warning()
    {
        var (settings, errors, warnings) = Read(Minimal + "\nsharing = yes\n");

        Assert.Empty(errors);
        Assert.NotNull(settings.Fleet);
        Assert.Contains("unknown setting [fleet] sharing", Assert.Single(warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoSection_NoFleet()
    {
        var (settings, errors, _) = Read("[warden]\nignoreself = yes\n");

        Assert.Empty(errors);
        Assert.Null(settings.Fleet);
    }
}
