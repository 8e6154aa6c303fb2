namespace Warden.TestKit;

/// <summary>A TCP port listening inside a namespace (the kernel completes handshakes from the backlog).</summary>
public static class TcpListeners
{
    private const string Script = "import socket,sys,time\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('0.0.0.0',int(sys.argv[1])))\ns.listen(128)\ntime.sleep(600)";

    public static void Start(NetworkNamespace ns, params int[] ports)
    {
        foreach (var port in ports)
        {
            ns.Start("/usr/bin/python3", ["-c", Script, port.ToString()]);
        }
    }
}
