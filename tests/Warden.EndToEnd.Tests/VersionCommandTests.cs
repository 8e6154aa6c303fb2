using Warden.TestKit;

namespace Warden.EndToEnd.Tests;

/// <summary>
/// <c>warden version</c> of the binary the <c>./warden</c> launcher built: it names the CPU level
/// the native code needs (the launcher chose x86-64-v3 exactly when this CPU has it) and the
/// regex engine filters run on (PCRE2 with its JIT here).
/// </summary>
public sealed class VersionCommandTests
{
    // x86-64-v3 as the launcher tests it (LZCNT aside: hypervisors do not always list it).
    private static readonly string[] V3Flags = ["avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "movbe", "xsave"];

    [Fact]
    public async Task Version_NamesTheCpuLevelThisMachineSupports()
    {
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?
            .Split(':', 2)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var x64 = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64;
        var portable = Environment.GetEnvironmentVariable("WARDEN_PORTABLE") is { Length: > 0 };
        var expected = x64 && !portable && V3Flags.All(flags.Contains) ? "x86-64-v3" : "portable";

        var result = (await Proc.RunAsync(WardenBinary.Path, ["version"])).EnsureSuccess();

        var line = result.StdOut.Trim();
        var match = System.Text.RegularExpressions.Regex.Match(line,
            @"^warden \S+ \(\.NET [^,]+, Native AOT, linux-[a-z0-9]+, (?<cpu>[a-z0-9-]+); regex pcre2 [0-9.]+, (?<regex>jit|interpreter)\)$");
        Assert.True(match.Success, $"unexpected version line: {line}");
        Assert.Equal(expected, match.Groups["cpu"].Value);
        // This machine's kernel and CPU allow executable memory, so the JIT must be in use.
        Assert.Equal("jit", match.Groups["regex"].Value);
    }
}
