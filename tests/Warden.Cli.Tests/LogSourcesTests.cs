using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Warden.Cli.Hosting;
using Warden.Sources.Firewall.Nflog;
using static Warden.Cli.Tests.WiredJails;

namespace Warden.Cli.Tests;

/// <summary>The running jails and their sources as <see cref="LogSources"/> binds them: one source per distinct log, bound to every jail that reads it.</summary>
public sealed class LogSourcesTests
{
    [Fact]
    public void Bind_OneFileReadByThreeJails_IsOneSourceBoundToAll()
    {
        var (jails, bindings) = LogSources.Bind(
            [Reading("sshd", "/var/log/auth.log"), Reading("sshd-ddos", "/var/log/auth.log"), Reading("web", "/var/log/auth.log", "/var/log/nginx/error.log")],
            NullLoggerFactory.Instance,
            new FakeTimeProvider());

        Assert.Equal(["sshd", "sshd-ddos", "web"], jails.Select(j => j.Name));
        Assert.Equal(2, bindings.Count);
        var auth = Assert.Single(bindings, b => b.Source.Id.Contains("/var/log/auth.log", StringComparison.Ordinal));
        Assert.Equal(["sshd", "sshd-ddos", "web"], auth.Jails.Select(j => j.Name));
        var error = Assert.Single(bindings, b => b.Source.Id.Contains("/var/log/nginx/error.log", StringComparison.Ordinal));
        Assert.Equal(["web"], error.Jails.Select(j => j.Name));
    }

    [Fact]
    public void Bind_IgnoreCommand_BecomesTheJailsIgnoreCheck()
    {
        var (jails, _) = LogSources.Bind(
            [Jail("sshd", ["-"], [], d => d with { IgnoreCommand = "/usr/local/bin/is-friend <ip>" }), Reading("web", "-")],
            NullLoggerFactory.Instance,
            new FakeTimeProvider());

        Assert.IsType<Warden.Actions.Command.CommandIgnoreCheck>(jails[0].IgnoreCheck);
        Assert.Null(jails[1].IgnoreCheck);
    }

    [Fact]
    public void Bind_NflogGroupOfTwoJails_OneNflogSourceBesideTheirFiles()
    {
        var (_, bindings) = LogSources.Bind(
            [Jail("scan", ["/var/log/kern.log"], [], d => d with { NflogGroup = 5 }), Jail("scan6", [], [], d => d with { NflogGroup = 5 })],
            NullLoggerFactory.Instance,
            new FakeTimeProvider());

        var nflog = Assert.Single(bindings, b => b.Source is NflogSource);
        Assert.Equal("nflog:5", nflog.Source.Id);
        Assert.Equal(["scan", "scan6"], nflog.Jails.Select(j => j.Name));
        Assert.Equal(2, bindings.Count);
    }

    [Fact]
    public void Bind_StandardInputAndCommand_EachItsOwnSource()
    {
        var (_, bindings) = LogSources.Bind(
            [Jail("sshd", ["-"], [], d => d with { Sources = d.Sources with { Command = ["tcpdump", "-l"] } })],
            NullLoggerFactory.Instance,
            new FakeTimeProvider());

        Assert.Equal(2, bindings.Count);
        Assert.All(bindings, b => Assert.Equal(["sshd"], b.Jails.Select(j => j.Name)));
        Assert.NotEqual(bindings[0].Source.Id, bindings[1].Source.Id);
    }

    [Fact]
    public void Describe_EachKindOfSource_SaysWhatTheJailReads()
    {
        Assert.Equal("/var/log/auth.log, standard input", LogSources.Describe(Reading("sshd", "/var/log/auth.log", "-")));
        Assert.Equal("output of: tcpdump -l, nflog:5", LogSources.Describe(Jail("scan", [], [], d => d with { NflogGroup = 5, Sources = d.Sources with { Command = ["tcpdump", "-l"] } })));
        Assert.Equal("journal (/var/log/journal/remote) matching everything", LogSources.Describe(Jail("sshd", [], [], d => d with { Sources = d.Sources with { Journal = true, JournalPath = "/var/log/journal/remote" } })));
        Assert.Equal("bans of the other jails", LogSources.Describe(Jail("recidive", [], [], d => d with { Policy = d.Policy with { CountsBans = true } })));
    }
}
