using System.Text;
using Warden.Fuzz.Targets;

namespace Warden.Fuzz;

/// <summary>The fuzz targets by the name run.sh and CI use; each takes afl's raw input bytes.</summary>
internal static class FuzzTargets
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["ini"] = data => IniTarget.Run(Text(data)),
        ["jail"] = data => JailTarget.Run(Text(data)),
        ["regex"] = data => RegexTarget.Run(Text(data)),
        ["date"] = data => DateTarget.Run(Text(data)),
        ["kernel"] = data => FirewallLineTargets.Kernel(Text(data)),
        ["pf"] = data => FirewallLineTargets.Pf(Text(data)),
        ["nflog"] = NflogTarget.Run,
        ["journal"] = data => JournalTarget.Run(Text(data)),
        ["api"] = data => ApiJsonTarget.Run(data),
    };

    /// <summary>Bytes as the readers see text: UTF-8 with invalid sequences replaced.</summary>
    private static string Text(byte[] data) => Utf8.GetString(data);
}
