namespace Warden.Store.Sqlite;

/// <summary>Binds Microsoft.Data.Sqlite to the system's libsqlite3.so.0 (Debian's libsqlite3-0), not a bundled copy; once per process.</summary>
internal static class SystemSqlite
{
    private static readonly Lazy<bool> Bound = new(() =>
    {
        SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_sqlite3());
        return true;
    });

    /// <summary>Makes sure the provider is set before a connection opens.</summary>
    public static void Ensure() => _ = Bound.Value;
}
