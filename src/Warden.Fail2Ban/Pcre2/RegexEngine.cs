using System.Text;

namespace Warden.Fail2Ban.Pcre2;

/// <summary>
/// The regex engine every filter runs on: the system's PCRE2 (libpcre2-8.so.0), JIT-compiled
/// when the configuration loads. Where the JIT is refused (SELinux denying execmem, a CPU the JIT
/// does not support) patterns run on PCRE2's interpreter: same results, slower, and
/// <see cref="JitRefusal"/> says why, once. Thread-safe.
/// </summary>
public static unsafe class RegexEngine
{
    private static readonly Lazy<(string Version, bool Jit)> Config = new(ReadConfig);
    private static readonly Lazy<bool> Probe = new(() => Pcre2Pattern.Compile("warden", 0).Jit);
    private static string? _jitRefusal;

    /// <summary>PCRE2's version, e.g. "10.42".</summary>
    public static string Version => Config.Value.Version;

    /// <summary>True while patterns are JIT-compiled: the library has a JIT and it has not been refused.</summary>
    public static bool JitInUse => Config.Value.Jit && Volatile.Read(ref _jitRefusal) is null;

    /// <summary>Why the JIT was refused (then patterns run on the interpreter), or null.</summary>
    public static string? JitRefusal => Config.Value.Jit ? Volatile.Read(ref _jitRefusal) : "this PCRE2 was built without JIT";

    /// <summary>
    /// What <c>warden version</c> and <c>warden status</c> show, e.g. "pcre2 10.42, jit": one
    /// pattern is compiled first, so a JIT the system refuses is reported as the interpreter.
    /// </summary>
    public static string Description
    {
        get
        {
            _ = Probe.Value;
            return $"pcre2 {Version}, {(JitInUse ? "jit" : "interpreter")}";
        }
    }

    internal static bool JitAvailable => Config.Value.Jit && Volatile.Read(ref _jitRefusal) is null;

    /// <summary>Records the first JIT refusal; later patterns go straight to the interpreter.</summary>
    internal static void RefuseJit(int errorCode) =>
        Interlocked.CompareExchange(ref _jitRefusal, $"PCRE2 JIT refused ({LibPcre2.ErrorMessage(errorCode)}); regexes run on the interpreter", null);

    private static (string, bool) ReadConfig()
    {
        var buffer = stackalloc byte[64];
        var length = LibPcre2.Config(LibPcre2.ConfigVersion, buffer);
        // "10.42 2022-12-11": the number is what matters.
        var text = length > 1 ? Encoding.ASCII.GetString(buffer, length - 1) : "unknown";
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        uint jit = 0;
        _ = LibPcre2.Config(LibPcre2.ConfigJit, &jit);
        return (space > 0 ? text[..space] : text, jit == 1);
    }
}
