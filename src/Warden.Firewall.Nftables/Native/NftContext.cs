using System.Runtime.InteropServices;
using Warden.Core.Ports;

namespace Warden.Firewall.Nftables.Native;

/// <summary>
/// One libnftables context with buffered output and errors. Not thread-safe: create, use and
/// dispose it on one thread (<see cref="NftWorker"/>), after that thread joined its namespace.
/// </summary>
internal sealed class NftContext : IDisposable
{
    private nint _handle;

    private NftContext(nint handle) => _handle = handle;

    public static NftContext Create()
    {
        nint handle;
        try
        {
            handle = LibNftables.CtxNew(LibNftables.CtxDefault);
        }
        catch (DllNotFoundException ex)
        {
            throw new FirewallException("nftables", "nft_ctx_new", "libnftables.so.1 not found (Debian package libnftables1)", -1, ex);
        }

        if (handle == 0)
        {
            throw new FirewallException("nftables", "nft_ctx_new", "nft_ctx_new returned NULL");
        }

        _ = LibNftables.CtxBufferOutput(handle);
        _ = LibNftables.CtxBufferError(handle);
        return new NftContext(handle);
    }

    /// <summary>Runs the commands as one transaction; the output and error buffers are read and rewound.</summary>
    public NftResult Run(string commands)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        var rc = LibNftables.RunCmdFromBuffer(_handle, commands);
        var output = Marshal.PtrToStringUTF8(LibNftables.CtxGetOutputBuffer(_handle)) ?? string.Empty;
        var error = Marshal.PtrToStringUTF8(LibNftables.CtxGetErrorBuffer(_handle)) ?? string.Empty;
        return new NftResult(rc, output, error);
    }

    /// <summary>Runs a read-only command (a listing) with JSON output.</summary>
    public NftResult ListJson(string command)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        var flags = LibNftables.CtxOutputGetFlags(_handle);
        LibNftables.CtxOutputSetFlags(_handle, flags | LibNftables.OutputJson);
        try
        {
            return Run(command);
        }
        finally
        {
            LibNftables.CtxOutputSetFlags(_handle, flags);
        }
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            LibNftables.CtxFree(_handle);
            _handle = 0;
        }
    }
}
