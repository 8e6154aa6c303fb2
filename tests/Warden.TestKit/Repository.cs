namespace Warden.TestKit;

/// <summary>Finds things in the repository checkout the tests run from.</summary>
public static class Repository
{
    /// <summary>The checkout root (the directory holding Warden.slnx).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below the root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Warden.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Warden.slnx not found above " + AppContext.BaseDirectory);
    }
}
