using System.Buffers.Binary;
using System.Text;

namespace Warden.Fail2Ban.Pcre2;

/// <summary>
/// One compiled PCRE2 pattern, JIT-compiled when the engine allows (see <see cref="RegexEngine"/>).
/// Always UTF with <c>PCRE2_MATCH_INVALID_UTF</c>: a subject that is not valid UTF-8 never fails
/// a match, its invalid bytes simply match nothing. Newline is LF only, as in Python.
/// Immutable and thread-safe (matching state lives in <see cref="MatchScratch"/>); the native
/// code is freed by the finalizer.
/// </summary>
internal sealed unsafe class Pcre2Pattern
{
    private static readonly byte[] Empty = [0];
    private nint _code;

    private Pcre2Pattern(nint code, bool jit)
    {
        _code = code;
        Jit = jit;
        uint captures = 0;
        _ = LibPcre2.PatternInfo(code, LibPcre2.InfoCaptureCount, &captures);
        CaptureCount = (int)captures;
        Names = ReadNames(code);
    }

    ~Pcre2Pattern()
    {
        LibPcre2.CodeFree(_code);
        _code = 0;
    }

    /// <summary>Capturing groups (group 0, the whole match, not counted).</summary>
    public int CaptureCount { get; }

    /// <summary>True when the pattern runs JIT-compiled code.</summary>
    public bool Jit { get; }

    /// <summary>The named groups in group-number order (the order they open, as Python numbers them).</summary>
    public IReadOnlyList<(string Name, int Number)> Names { get; }

    /// <summary>Compiles <paramref name="pattern"/> (PCRE2 syntax) with the compile <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">PCRE2 refused the pattern; the message says where and why.</exception>
    public static Pcre2Pattern Compile(string pattern, uint options)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var bytes = Encoding.UTF8.GetBytes(pattern);
        var context = LibPcre2.CompileContextCreate(0);
        nint code;
        int error;
        nuint offset;
        try
        {
            _ = LibPcre2.SetNewline(context, LibPcre2.NewlineLf);
            fixed (byte* text = bytes.Length == 0 ? Empty : bytes)
            {
                code = LibPcre2.Compile(text, (nuint)bytes.Length, options | LibPcre2.Utf | LibPcre2.MatchInvalidUtf, out error, out offset, context);
            }
        }
        finally
        {
            LibPcre2.CompileContextFree(context);
        }

        if (code == 0)
        {
            var at = Encoding.UTF8.GetCharCount(bytes, 0, (int)Math.Min(offset, (nuint)bytes.Length));
            throw new ArgumentException($"{LibPcre2.ErrorMessage(error)} at offset {at} of the pattern");
        }

        var jit = false;
        if (RegexEngine.JitAvailable)
        {
            var rc = LibPcre2.JitCompile(code, LibPcre2.JitComplete);
            if (rc == 0)
            {
                jit = true;
            }
            else
            {
                RegexEngine.RefuseJit(rc);
            }
        }

        return new Pcre2Pattern(code, jit);
    }

    /// <summary>The number of the group called <paramref name="name"/>, or -1.</summary>
    public int GroupNumber(string name)
    {
        foreach (var (n, number) in Names)
        {
            if (n == name)
            {
                return number;
            }
        }

        return -1;
    }

    /// <summary>
    /// Searches <paramref name="subject"/> from byte <paramref name="start"/> (Python's
    /// <c>re.search(s, pos)</c>: look-behinds see the bytes before it, '^' matches only at 0).
    /// Returns PCRE2's result: above zero on a match (offsets in <paramref name="scratch"/>), -1
    /// when there is none, another negative code when a limit stopped the search.
    /// </summary>
    public int Match(ReadOnlySpan<byte> subject, MatchScratch scratch, int start = 0)
    {
        scratch.Reserve((uint)CaptureCount + 1);
        int rc;
        fixed (byte* text = subject.Length == 0 ? Empty : subject)
        {
            rc = LibPcre2.Match(_code, text, (nuint)subject.Length, (nuint)start, 0, scratch.Data, scratch.Context);
        }

        GC.KeepAlive(this);
        return rc;
    }

    private static (string, int)[] ReadNames(nint code)
    {
        uint count = 0;
        uint size = 0;
        byte* table = null;
        _ = LibPcre2.PatternInfo(code, LibPcre2.InfoNameCount, &count);
        _ = LibPcre2.PatternInfo(code, LibPcre2.InfoNameEntrySize, &size);
        _ = LibPcre2.PatternInfo(code, LibPcre2.InfoNameTable, &table);
        var names = new (string, int)[count];
        for (var i = 0; i < count; i++)
        {
            // Each entry: the group number (two bytes, most significant first), the name, a NUL.
            var entry = new ReadOnlySpan<byte>(table + (i * size), (int)size);
            var name = entry[2..];
            var nul = name.IndexOf((byte)0);
            names[i] = (Encoding.UTF8.GetString(nul < 0 ? name : name[..nul]), BinaryPrimitives.ReadUInt16BigEndian(entry));
        }

        Array.Sort(names, (a, b) => a.Item2.CompareTo(b.Item2));
        return names;
    }
}
