using System.Text.Json;
using Warden.Core.Diagnostics;
using Warden.Core.Ports;

namespace Warden.Firewall.Iptables;

/// <summary>
/// <c>warden doctor</c>'s look at forwarding on the host, whatever the ban backend: Docker's
/// chains and FORWARD policy, bridges, bridge netfilter, and the forward guard. Reads only.
/// </summary>
public sealed class HostForwardingDoctor
{
    private const string Bridge = "bridges";
    private static readonly string[] Flavours = ["iptables-legacy", "iptables-nft"];
    private readonly ForwardGuardOptions _options;
    private readonly CommandRunner _run;

    private HostForwardingDoctor(ForwardGuardOptions options)
    {
        _options = options;
        _run = new CommandRunner("doctor", options.NetworkNamespace);
    }

    /// <summary>A doctor for the host (or the options' namespace) with the configured <c>forward_allow</c>.</summary>
    public static HostForwardingDoctor Create(ForwardGuardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HostForwardingDoctor(options);
    }

    public async Task<IReadOnlyList<DoctorFinding>> DiagnoseAsync(CancellationToken cancellationToken)
    {
        var findings = new List<DoctorFinding>();
        var listed = await TryAsync(_options.Iptables, ["-w", "-t", "filter", "-S"], cancellationToken);
        if (listed is not { ExitCode: 0 })
        {
            findings.Add(DoctorFinding.Info("docker", $"{_options.Iptables} cannot list the filter table, so Docker's chains cannot be checked"));
            return findings;
        }

        var filter = FilterListing.Parse(listed.StdOut);
        var docker = filter.HasChain("DOCKER-USER");
        var forwardDrops = filter.Policy("FORWARD") == "DROP";
        findings.Add(DoctorFinding.Info("docker", docker
            ? $"Docker's chains found (DOCKER-USER); FORWARD policy {filter.Policy("FORWARD")}"
            : $"no Docker chains (DOCKER-USER) in {_options.Iptables}; FORWARD policy {filter.Policy("FORWARD")}"));
        if (!docker && await OtherFlavourHasDockerAsync(cancellationToken) is { } other)
        {
            findings.Add(DoctorFinding.Problem("docker", $"Docker's chains are in {other}, not in {_options.Iptables}", $"set `iptables = {other}` under [iptables] in warden.conf, so Warden writes where Docker does"));
        }

        var bridges = await BridgesAsync(cancellationToken);
        findings.Add(DoctorFinding.Info(Bridge, bridges.Count == 0 ? "no bridges" : "bridges: " + string.Join(", ", bridges)));
        var callIptables = await SysctlAsync("net.bridge.bridge-nf-call-iptables", cancellationToken);
        var callIp6tables = await SysctlAsync("net.bridge.bridge-nf-call-ip6tables", cancellationToken);
        findings.Add(DoctorFinding.Info("bridge-netfilter", callIptables is null
            ? "net.bridge.bridge-nf-call-iptables is absent (br_netfilter not loaded): bridged traffic bypasses iptables"
            : $"net.bridge.bridge-nf-call-iptables = {callIptables}, net.bridge.bridge-nf-call-ip6tables = {callIp6tables ?? "absent"}"));

        foreach (var bridge in bridges.Where(b => !IsDockers(b)))
        {
            var guarded = _options.Interfaces.Contains(bridge, StringComparer.Ordinal);
            if (callIptables == "1" && forwardDrops && !guarded)
            {
                findings.Add(DoctorFinding.Problem(Bridge,
                    $"traffic bridged through {bridge} passes iptables FORWARD (bridge-nf-call-iptables = 1), whose policy is DROP: machines on {bridge} lose their network",
                    $"add `forward_allow = {bridge}` under [warden] in warden.conf (Warden keeps an accept for it in DOCKER-USER), or `sysctl -w net.bridge.bridge-nf-call-iptables=0` if bridged traffic needs no filtering"));
            }
            else if (!guarded)
            {
                findings.Add(DoctorFinding.Ok(Bridge, $"{bridge}: forwarding is not blocked by a FORWARD DROP"));
            }
        }

        foreach (var name in _options.Interfaces)
        {
            if (!await InterfaceExistsAsync(name, cancellationToken))
            {
                findings.Add(DoctorFinding.Warning("forward-guard", $"forward_allow names {name}, which does not exist", $"fix the name in forward_allow, or create {name}"));
            }
        }

        if (_options.Interfaces.Count > 0)
        {
            findings.Add(GuardScript.Drift(filter, _options.Interfaces) is { } problem
                ? DoctorFinding.Problem("forward-guard", $"forward_allow = {string.Join(' ', _options.Interfaces)}, but {problem}", "start Warden (`warden run`): it restores the guard within 2 s of any change")
                : DoctorFinding.Ok("forward-guard", $"forwarding through {string.Join(", ", _options.Interfaces)} is accepted in {(docker ? "DOCKER-USER" : "FORWARD")}"));
        }

        return findings;
    }

    // Docker manages its own bridges' forwarding (docker0, and br-<id> for user networks).
    private static bool IsDockers(string bridge) => bridge == "docker0" || bridge.StartsWith("br-", StringComparison.Ordinal);

    private async Task<string?> OtherFlavourHasDockerAsync(CancellationToken cancellationToken)
    {
        foreach (var other in Flavours.Where(o => o != _options.Iptables))
        {
            if (await TryAsync(other, ["-w", "-t", "filter", "-S"], cancellationToken) is { ExitCode: 0 } result && FilterListing.Parse(result.StdOut).HasChain("DOCKER-USER"))
            {
                return other;
            }
        }

        return null;
    }

    private async Task<List<string>> BridgesAsync(CancellationToken cancellationToken)
    {
        var result = await TryAsync("ip", ["-j", "link", "show", "type", "bridge"], cancellationToken);
        if (result is not { ExitCode: 0 } || string.IsNullOrWhiteSpace(result.StdOut))
        {
            return [];
        }

        using var doc = JsonDocument.Parse(result.StdOut);
        return [.. doc.RootElement.EnumerateArray().Select(l => l.GetProperty("ifname").GetString()!).Order(StringComparer.Ordinal)];
    }

    private async Task<bool> InterfaceExistsAsync(string name, CancellationToken cancellationToken) =>
        await TryAsync("ip", ["link", "show", "dev", name], cancellationToken) is { ExitCode: 0 };

    private async Task<string?> SysctlAsync(string key, CancellationToken cancellationToken) =>
        await TryAsync("sysctl", ["-n", key], cancellationToken) is { ExitCode: 0 } result ? result.StdOut.Trim() : null;

    private async Task<CommandResult?> TryAsync(string file, string[] args, CancellationToken cancellationToken)
    {
        try
        {
            return await _run.RunAsync(file, args, null, cancellationToken);
        }
        catch (FirewallException)
        {
            return null;
        }
    }
}
