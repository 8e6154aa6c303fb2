namespace Warden.TestKit;

/// <summary>
/// The real Native AOT <c>warden</c> binary, built through the repository's <c>./warden</c>
/// launcher (which rebuilds only when sources changed) once per test run.
/// </summary>
public static class WardenBinary
{
    private static readonly Lazy<string> Built = new(Build);

    /// <summary>The path of the built binary.</summary>
    public static string Path => Built.Value;

    private static string Build()
    {
        var launcher = Repository.PathOf("warden");
        var result = Proc.RunAsync(launcher, ["version"], TimeSpan.FromMinutes(10)).GetAwaiter().GetResult().EnsureSuccess();
        if (!result.StdOut.StartsWith("warden ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("unexpected 'warden version' output: " + result.StdOut);
        }

        return Repository.PathOf(".build", "warden");
    }
}
