using System.Reflection;

namespace Warden.Core.Tests;

/// <summary>Core stays free of infrastructure: it references only the base library and logging abstractions.</summary>
public class ArchitectureTests
{
    private static readonly string[] Allowed =
    [
        "System.",
        "netstandard",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
    ];

    [Fact]
    public void CoreAssembly_ReferencesNoInfrastructureOrOtherWardenProject()
    {
        var references = typeof(Core.Engine.BanEngine).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var offending = references.Where(name => name != "System" && !Allowed.Any(name.StartsWith)).ToList();

        Assert.NotEmpty(references);
        Assert.True(offending.Count == 0, "Warden.Core references: " + string.Join(", ", offending));
    }

    [Fact]
    public void CoreAssembly_HasNoTypeFromAdapterNamespaces()
    {
        var types = typeof(Core.Engine.BanEngine).Assembly.GetTypes();

        Assert.DoesNotContain(types, t => t.Namespace is { } ns && !ns.StartsWith("Warden.Core", StringComparison.Ordinal) && !ns.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) && !ns.StartsWith("System", StringComparison.Ordinal));
        Assert.Contains(types, t => t.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null && t.Name == "BanEngine");
    }
}
