using Warden.Fail2Ban.Jails;

namespace Warden.Fuzz.Targets;

/// <summary>
/// A whole jail.conf through the jail reader (JailConfigLoader.LoadText): every error is part of
/// the result with file and line, so any exception is a bug.
/// </summary>
internal static class JailTarget
{
    public static void Run(string text) => _ = JailConfigLoader.LoadText("/fuzz/jail.conf", text);
}
