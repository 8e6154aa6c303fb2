using Warden.Core.Ports;
using Warden.Firewall.Nftables.Ruleset;
using Warden.TestKit;

namespace Warden.Firewall.Nftables.Tests;

/// <summary>The drop counters read from a chain listing as nft 1.0.6 writes it (libnftables-json(5)).</summary>
public sealed class RuleCountersTests
{
    private const string Listing = """
        {"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
        {"chain": {"family": "inet", "table": "warden", "name": "prerouting", "handle": 1, "type": "filter", "hook": "prerouting", "prio": -110, "policy": "accept"}},
        {"rule": {"family": "inet", "table": "warden", "chain": "prerouting", "handle": 4, "expr": [
          {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@sshd_h4"}},
          {"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 22}},
          {"counter": {"packets": 7, "bytes": 420}}, {"drop": null}]}},
        {"rule": {"family": "inet", "table": "warden", "chain": "prerouting", "handle": 5, "expr": [
          {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@sshd_n4"}},
          {"counter": {"packets": 3, "bytes": 180}}, {"drop": null}]}},
        {"rule": {"family": "inet", "table": "warden", "chain": "prerouting", "handle": 6, "expr": [
          {"match": {"op": "==", "left": {"payload": {"protocol": "ip6", "field": "saddr"}}, "right": "@web_h6"}},
          {"counter": {"packets": 1, "bytes": 80}}, {"reject": {"type": "icmpx", "expr": "admin-prohibited"}}]}},
        {"rule": {"family": "inet", "table": "warden", "chain": "prerouting", "handle": 7, "expr": [
          {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@web_h4"}},
          {"counter": {"packets": 99, "bytes": 9900}}, {"log": {"group": 7}}]}},
        {"rule": {"family": "inet", "table": "warden", "chain": "prerouting", "handle": 8, "expr": [
          {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@gone_h4"}},
          {"counter": {"packets": 5, "bytes": 300}}, {"drop": null}]}}
        ]}
        """;

    [Fact]
    public void Parse_JailRules_SumsEachJailsDropAndRejectRulesOnly()
    {
        var drops = RuleCounters.Parse(Listing, [JailSets.For(TestBans.Jail("sshd", 22)), JailSets.For(TestBans.Jail("web", 80))]);

        // web's logging rule is no drop; the rule of a set no jail has is left out.
        Assert.Equal([new JailDrops("sshd", 10, 600), new JailDrops("web", 1, 80)], drops);
    }
}
