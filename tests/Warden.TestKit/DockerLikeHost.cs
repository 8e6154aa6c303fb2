namespace Warden.TestKit;

/// <summary>
/// A "docker host" built from namespaces: the host, a container behind the bridge docker0 whose
/// port 80 is published as the host's 8080, an attacker and a client each on their own veth
/// link, and optionally a VM and a LAN machine bridged through br0. The host gets the iptables
/// rules Docker (24.x, iptables-nft) writes for that setup, FORWARD policy DROP included, and
/// bridge netfilter on, as Docker enables it.
/// </summary>
public sealed class DockerLikeHost : IDisposable
{
    public const int PublishedPort = 8080;
    public const string ContainerAddress = "10.81.0.2";
    public const string HostForAttacker = "10.82.1.1";
    public const string AttackerAddress = "10.82.1.2";
    public const string HostForClient = "10.82.2.1";
    public const string ClientAddress = "10.82.2.2";
    public const string VmAddress = "10.83.0.2";
    public const string LanAddress = "10.83.0.3";
    public const int LanPort = 7000;

    // Written from Docker's documented chain layout ("Packet filtering and firewalls"), with the
    // container network in 10.81.0.0/24 instead of 172.17.0.0/16.
    private const string DockerRules = """
        *nat
        :DOCKER - [0:0]
        -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
        -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
        -A POSTROUTING -s 10.81.0.0/24 ! -o docker0 -j MASQUERADE
        -A DOCKER -i docker0 -j RETURN
        -A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.81.0.2:80
        COMMIT
        *filter
        :FORWARD DROP [0:0]
        :DOCKER - [0:0]
        :DOCKER-ISOLATION-STAGE-1 - [0:0]
        :DOCKER-ISOLATION-STAGE-2 - [0:0]
        :DOCKER-USER - [0:0]
        -A FORWARD -j DOCKER-USER
        -A FORWARD -j DOCKER-ISOLATION-STAGE-1
        -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A FORWARD -o docker0 -j DOCKER
        -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
        -A FORWARD -i docker0 -o docker0 -j ACCEPT
        -A DOCKER -d 10.81.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT
        -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
        -A DOCKER-ISOLATION-STAGE-1 -j RETURN
        -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
        -A DOCKER-ISOLATION-STAGE-2 -j RETURN
        -A DOCKER-USER -j RETURN
        COMMIT

        """;

    private static int _counter;
    private readonly List<NetworkNamespace> _all = [];

    private DockerLikeHost(bool withVmBridge)
    {
        Host = Add(NetworkNamespace.Create("dh"));
        Container = Add(NetworkNamespace.Create("dc"));
        Attacker = Add(NetworkNamespace.Create("da"));
        Client = Add(NetworkNamespace.Create("dl"));
        Host.Exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
        Host.Exec("sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1");
        Host.Link(Attacker, HostForAttacker + "/24", AttackerAddress + "/24");
        Host.Link(Client, HostForClient + "/24", ClientAddress + "/24");
        Bridge("docker0", "10.81.0.1/24");
        Port("docker0", Container, ContainerAddress + "/24");
        Container.Exec("ip", "route", "add", "default", "via", "10.81.0.1");
        TcpListeners.Start(Container, 80);
        if (withVmBridge)
        {
            Vm = Add(NetworkNamespace.Create("dv"));
            Lan = Add(NetworkNamespace.Create("dn"));
            Bridge("br0", null);
            Port("br0", Vm, VmAddress + "/24");
            Port("br0", Lan, LanAddress + "/24");
            TcpListeners.Start(Lan, LanPort);
        }

        LoadDockerRules();
    }

    public NetworkNamespace Host { get; }

    public NetworkNamespace Container { get; }

    public NetworkNamespace Attacker { get; }

    public NetworkNamespace Client { get; }

    public NetworkNamespace? Vm { get; }

    public NetworkNamespace? Lan { get; }

    public static DockerLikeHost Create(bool withVmBridge = false) => new(withVmBridge);

    /// <summary>Writes Docker's chains and rules (as the daemon does at start).</summary>
    public void LoadDockerRules() =>
        Proc.RunAsync("ip", ["netns", "exec", Host.Name, "iptables-restore", "--noflush"], stdin: DockerRules).GetAwaiter().GetResult().EnsureSuccess();

    /// <summary>Deletes Docker's chains and rules, as a daemon stop and cleanup would, leaving FORWARD's policy DROP.</summary>
    public void DeleteDockerChains()
    {
        const string script = """
            *nat
            -F DOCKER
            -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
            -D OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
            -X DOCKER
            COMMIT
            *filter
            -F FORWARD
            -F DOCKER
            -F DOCKER-ISOLATION-STAGE-1
            -F DOCKER-ISOLATION-STAGE-2
            -F DOCKER-USER
            -X DOCKER
            -X DOCKER-ISOLATION-STAGE-1
            -X DOCKER-ISOLATION-STAGE-2
            -X DOCKER-USER
            COMMIT

            """;
        Proc.RunAsync("ip", ["netns", "exec", Host.Name, "iptables-restore", "--noflush"], stdin: script).GetAwaiter().GetResult().EnsureSuccess();
    }

    public void Dispose()
    {
        foreach (var ns in Enumerable.Reverse(_all))
        {
            ns.Dispose();
        }
    }

    private NetworkNamespace Add(NetworkNamespace ns)
    {
        _all.Add(ns);
        return ns;
    }

    private void Bridge(string name, string? address)
    {
        Host.Exec("ip", "link", "add", name, "type", "bridge");
        if (address is not null)
        {
            Host.Exec("ip", "addr", "add", address, "dev", name);
        }

        Host.Exec("ip", "link", "set", name, "up");
    }

    private void Port(string bridge, NetworkNamespace peer, string address)
    {
        var id = Interlocked.Increment(ref _counter);
        var hostSide = $"vp{Environment.ProcessId % 10000}x{id}";
        var peerSide = $"vq{Environment.ProcessId % 10000}x{id}";
        Proc.RunAsync("ip", ["link", "add", hostSide, "netns", Host.Name, "type", "veth", "peer", "name", peerSide, "netns", peer.Name]).GetAwaiter().GetResult().EnsureSuccess();
        Host.Exec("ip", "link", "set", hostSide, "master", bridge);
        Host.Exec("ip", "link", "set", hostSide, "up");
        peer.Exec("ip", "addr", "add", address, "dev", peerSide);
        peer.Exec("ip", "link", "set", peerSide, "up");
    }
}
