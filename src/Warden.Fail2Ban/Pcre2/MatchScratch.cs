namespace Warden.Fail2Ban.Pcre2;

/// <summary>
/// What one thread needs to run matches: a match context carrying the limits that bound the cost
/// of a line (pcre2api(3) "pcre2_set_match_limit", "pcre2_set_depth_limit", "pcre2_set_heap_limit"),
/// the JIT stack, match data and a buffer for the UTF-8 subject. One per thread
/// (<see cref="Current"/>), so a pattern shared by stage one and stage two of <c>warden test</c>
/// needs no lock; freed when its thread is gone.
/// </summary>
internal sealed unsafe class MatchScratch
{
    /// <summary>Backtracking steps one match may take (PCRE2's default is 10,000,000).</summary>
    public const uint MatchLimit = 2_000_000;

    /// <summary>Nested backtracking points one match may keep (interpreter only; the JIT's bound is its stack).</summary>
    public const uint DepthLimit = 50_000;

    /// <summary>Heap for backtracking frames (interpreter), KiB.</summary>
    public const uint HeapLimitKiB = 64 * 1024;

    private const nuint JitStackStart = 32 * 1024;
    private const nuint JitStackMax = 4 * 1024 * 1024;

    [ThreadStatic]
    private static MatchScratch? t_current;

    private readonly nint _context;
    private readonly nint _jitStack;
    private nint _data;
    private uint _pairs;
    private byte[] _subject = new byte[1024];
    private string? _encoded;
    private int _encodedLength;

    private MatchScratch()
    {
        _context = LibPcre2.MatchContextCreate(0);
        if (_context == 0)
        {
            throw new InsufficientMemoryException("pcre2_match_context_create returned NULL");
        }

        _ = LibPcre2.SetMatchLimit(_context, MatchLimit);
        _ = LibPcre2.SetDepthLimit(_context, DepthLimit);
        _ = LibPcre2.SetHeapLimit(_context, HeapLimitKiB);
        _jitStack = LibPcre2.JitStackCreate(JitStackStart, JitStackMax, 0);
        if (_jitStack != 0)
        {
            LibPcre2.JitStackAssign(_context, 0, _jitStack);
        }

        Reserve(32);
    }

    ~MatchScratch()
    {
        LibPcre2.MatchDataFree(_data);
        LibPcre2.MatchContextFree(_context);
        if (_jitStack != 0)
        {
            LibPcre2.JitStackFree(_jitStack);
        }
    }

    /// <summary>This thread's scratch.</summary>
    public static MatchScratch Current => t_current ??= new MatchScratch();

    public nint Context => _context;

    public nint Data => _data;

    /// <summary>The offsets of the last match: pairs of start and end per group, ~0 when unset.</summary>
    public nuint* Ovector => LibPcre2.GetOvectorPointer(_data);

    /// <summary>
    /// <paramref name="input"/> as UTF-8 in the subject buffer (valid until the next call). The
    /// failregexes tried on one line buffer all search the same string, so it is encoded once:
    /// strings are immutable, so the same reference means the same bytes. Nothing else writes
    /// the buffer.
    /// </summary>
    public ReadOnlySpan<byte> Encode(string input)
    {
        if (!ReferenceEquals(input, _encoded))
        {
            var needed = System.Text.Encoding.UTF8.GetMaxByteCount(input.Length);
            if (_subject.Length < needed)
            {
                _subject = new byte[Math.Max(needed, _subject.Length * 2)];
            }

            _encodedLength = System.Text.Encoding.UTF8.GetBytes(input, _subject);
            _encoded = input;
        }

        return _subject.AsSpan(0, _encodedLength);
    }

    /// <summary>Makes the match data hold <paramref name="pairs"/> offset pairs at least.</summary>
    public void Reserve(uint pairs)
    {
        if (pairs <= _pairs)
        {
            return;
        }

        var data = LibPcre2.MatchDataCreate(pairs, 0);
        if (data == 0)
        {
            throw new InsufficientMemoryException("pcre2_match_data_create returned NULL");
        }

        LibPcre2.MatchDataFree(_data);
        _data = data;
        _pairs = pairs;
    }
}
