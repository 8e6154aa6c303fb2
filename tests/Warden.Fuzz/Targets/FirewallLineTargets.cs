using Warden.Sources.Firewall.Lines;

namespace Warden.Fuzz.Targets;

/// <summary>The kernel firewall log line (KernelLogLine) and pf log line (PfLogLine) parsers, one line per input line.</summary>
internal static class FirewallLineTargets
{
    public static void Kernel(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            _ = KernelLogLine.TryParse(line, out _);
        }
    }

    public static void Pf(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            _ = PfLogLine.TryParse(line, out _);
        }
    }
}
