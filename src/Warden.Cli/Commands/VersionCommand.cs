using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using Warden.Fail2Ban.Pcre2;

namespace Warden.Cli.Commands;

/// <summary><c>warden version</c>: the version, commit, runtime and regex engine, so bug reports say what ran.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print Warden's version");
        command.SetAction(_ =>
        {
            Console.Out.WriteLine(Describe());
            return 0;
        });
        return command;
    }

    /// <summary>The informational version the binary was built with.</summary>
    public static string Version() =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Describe()
    {
        var version = Version();
        if (System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
        {
            return $"warden {version} ({RuntimeInformation.FrameworkDescription}, JIT, {RuntimeInformation.RuntimeIdentifier}; regex {Regex()})";
        }

        // Native code is fixed at build time: say which CPU level it needs (see Warden.Cli.csproj).
        var level = typeof(VersionCommand).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "InstructionSet")?.Value ?? "portable";
        return $"warden {version} ({RuntimeInformation.FrameworkDescription}, Native AOT, {RuntimeInformation.RuntimeIdentifier}, {level}; regex {Regex()})";
    }

    /// <summary>The regex engine filters run on, as version and status name it.</summary>
    public static string RegexEngineText() => Regex();

    private static string Regex()
    {
        try
        {
            return RegexEngine.Description;
        }
        catch (DllNotFoundException)
        {
            return "pcre2 missing (libpcre2-8.so.0 not found: Debian package libpcre2-8-0)";
        }
    }
}
