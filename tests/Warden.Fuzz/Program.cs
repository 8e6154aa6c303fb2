using SharpFuzz;
using Warden.Fuzz;

// One fuzz target per parser of untrusted input, chosen by name (run.sh passes it). afl-fuzz
// feeds each input on stdin; an exception the target does not list as the parser's documented
// answer to bad input escapes and afl records the input as a crash.
if (args.Length != 1 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    await Console.Error.WriteLineAsync($"usage: Warden.Fuzz TARGET (one of: {string.Join(", ", FuzzTargets.All.Keys)})").ConfigureAwait(false);
    return 2;
}

if (Environment.GetEnvironmentVariable("WARDEN_FUZZ_REPLAY") is { Length: > 0 } replay)
{
    // Runs one input outside afl, for a crasher's stack trace.
    target(File.ReadAllBytes(replay));
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
