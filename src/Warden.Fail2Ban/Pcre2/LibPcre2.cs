using System.Runtime.InteropServices;

namespace Warden.Fail2Ban.Pcre2;

/// <summary>
/// The 8-bit PCRE2 C API (pcre2api(3)) of Debian's libpcre2-8-0, which every Debian system has
/// because grep links it. Code objects are immutable and may be shared between threads; match
/// data, match contexts and JIT stacks belong to one thread at a time.
/// </summary>
internal static unsafe partial class LibPcre2
{
    public const string Library = "libpcre2-8.so.0";

    // Compile options (pcre2.h).
    public const uint Caseless = 0x00000008;
    public const uint DotAll = 0x00000020;
    public const uint Extended = 0x00000080;
    public const uint Multiline = 0x00000400;
    public const uint NoAutoCapture = 0x00002000;
    public const uint Ucp = 0x00020000;
    public const uint Utf = 0x00080000;
    public const uint MatchInvalidUtf = 0x04000000;

    public const uint JitComplete = 0x00000001;
    public const uint NewlineLf = 2;

    public const int ErrorNoMatch = -1;
    public const int ErrorJitStackLimit = -46;
    public const int ErrorMatchLimit = -47;
    public const int ErrorDepthLimit = -53;
    public const int ErrorHeapLimit = -63;

    public const uint InfoCaptureCount = 4;
    public const uint InfoNameCount = 17;
    public const uint InfoNameEntrySize = 18;
    public const uint InfoNameTable = 19;

    public const uint ConfigJit = 1;
    public const uint ConfigVersion = 11;

    [LibraryImport(Library, EntryPoint = "pcre2_compile_8")]
    public static partial nint Compile(byte* pattern, nuint length, uint options, out int errorCode, out nuint errorOffset, nint compileContext);

    [LibraryImport(Library, EntryPoint = "pcre2_code_free_8")]
    public static partial void CodeFree(nint code);

    [LibraryImport(Library, EntryPoint = "pcre2_jit_compile_8")]
    public static partial int JitCompile(nint code, uint options);

    [LibraryImport(Library, EntryPoint = "pcre2_compile_context_create_8")]
    public static partial nint CompileContextCreate(nint generalContext);

    [LibraryImport(Library, EntryPoint = "pcre2_compile_context_free_8")]
    public static partial void CompileContextFree(nint context);

    [LibraryImport(Library, EntryPoint = "pcre2_set_newline_8")]
    public static partial int SetNewline(nint compileContext, uint newline);

    [LibraryImport(Library, EntryPoint = "pcre2_match_context_create_8")]
    public static partial nint MatchContextCreate(nint generalContext);

    [LibraryImport(Library, EntryPoint = "pcre2_match_context_free_8")]
    public static partial void MatchContextFree(nint context);

    [LibraryImport(Library, EntryPoint = "pcre2_set_match_limit_8")]
    public static partial int SetMatchLimit(nint matchContext, uint limit);

    [LibraryImport(Library, EntryPoint = "pcre2_set_depth_limit_8")]
    public static partial int SetDepthLimit(nint matchContext, uint limit);

    [LibraryImport(Library, EntryPoint = "pcre2_set_heap_limit_8")]
    public static partial int SetHeapLimit(nint matchContext, uint kibibytes);

    [LibraryImport(Library, EntryPoint = "pcre2_jit_stack_create_8")]
    public static partial nint JitStackCreate(nuint startSize, nuint maxSize, nint generalContext);

    [LibraryImport(Library, EntryPoint = "pcre2_jit_stack_free_8")]
    public static partial void JitStackFree(nint stack);

    [LibraryImport(Library, EntryPoint = "pcre2_jit_stack_assign_8")]
    public static partial void JitStackAssign(nint matchContext, nint callback, nint data);

    [LibraryImport(Library, EntryPoint = "pcre2_match_data_create_8")]
    public static partial nint MatchDataCreate(uint pairs, nint generalContext);

    [LibraryImport(Library, EntryPoint = "pcre2_match_data_free_8")]
    public static partial void MatchDataFree(nint matchData);

    [LibraryImport(Library, EntryPoint = "pcre2_get_ovector_pointer_8")]
    public static partial nuint* GetOvectorPointer(nint matchData);

    [LibraryImport(Library, EntryPoint = "pcre2_match_8")]
    public static partial int Match(nint code, byte* subject, nuint length, nuint startOffset, uint options, nint matchData, nint matchContext);

    [LibraryImport(Library, EntryPoint = "pcre2_pattern_info_8")]
    public static partial int PatternInfo(nint code, uint what, void* where);

    [LibraryImport(Library, EntryPoint = "pcre2_get_error_message_8")]
    public static partial int GetErrorMessage(int errorCode, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "pcre2_config_8")]
    public static partial int Config(uint what, void* where);

    /// <summary>PCRE2's text for an error code.</summary>
    public static string ErrorMessage(int code)
    {
        var buffer = stackalloc byte[256];
        var length = GetErrorMessage(code, buffer, 256);
        return length < 0 ? $"PCRE2 error {code}" : System.Text.Encoding.UTF8.GetString(buffer, length);
    }
}
