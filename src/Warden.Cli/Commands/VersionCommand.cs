using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Warden.Cli.Commands;

/// <summary><c>warden version</c>: the version, commit and runtime, so bug reports say what ran.</summary>
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

    public static string Describe()
    {
        var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var aot = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "Native AOT";
        return $"warden {version} ({RuntimeInformation.FrameworkDescription}, {aot}, {RuntimeInformation.RuntimeIdentifier})";
    }
}
