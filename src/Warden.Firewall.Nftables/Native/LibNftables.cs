using System.Runtime.InteropServices;

namespace Warden.Firewall.Nftables.Native;

/// <summary>
/// The libnftables C API (libnftables(3), Debian's libnftables1). A context is not thread-safe
/// and its netlink socket lives in the network namespace of the thread that created it.
/// </summary>
internal static partial class LibNftables
{
    /// <summary>The soname Debian's libnftables1 installs.</summary>
    public const string Library = "libnftables.so.1";

    /// <summary>NFT_CTX_DEFAULT.</summary>
    public const uint CtxDefault = 0;

    [LibraryImport(Library, EntryPoint = "nft_ctx_new")]
    public static partial nint CtxNew(uint flags);

    [LibraryImport(Library, EntryPoint = "nft_ctx_free")]
    public static partial void CtxFree(nint ctx);

    /// <summary>NFT_CTX_OUTPUT_JSON: listings come back as libnftables-json(5).</summary>
    public const uint OutputJson = 1 << 4;

    [LibraryImport(Library, EntryPoint = "nft_ctx_output_get_flags")]
    public static partial uint CtxOutputGetFlags(nint ctx);

    [LibraryImport(Library, EntryPoint = "nft_ctx_output_set_flags")]
    public static partial void CtxOutputSetFlags(nint ctx, uint flags);

    [LibraryImport(Library, EntryPoint = "nft_ctx_buffer_output")]
    public static partial int CtxBufferOutput(nint ctx);

    [LibraryImport(Library, EntryPoint = "nft_ctx_buffer_error")]
    public static partial int CtxBufferError(nint ctx);

    /// <summary>Returns the buffered output and rewinds the buffer; the pointer belongs to the context.</summary>
    [LibraryImport(Library, EntryPoint = "nft_ctx_get_output_buffer")]
    public static partial nint CtxGetOutputBuffer(nint ctx);

    /// <summary>Returns the buffered errors and rewinds the buffer; the pointer belongs to the context.</summary>
    [LibraryImport(Library, EntryPoint = "nft_ctx_get_error_buffer")]
    public static partial nint CtxGetErrorBuffer(nint ctx);

    /// <summary>Parses and runs the commands as one netlink batch (one transaction); 0 on success.</summary>
    [LibraryImport(Library, EntryPoint = "nft_run_cmd_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RunCmdFromBuffer(nint ctx, string buffer);
}
