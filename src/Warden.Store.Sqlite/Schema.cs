namespace Warden.Store.Sqlite;

/// <summary>The database layout. Times are Unix milliseconds (UTC); networks are canonical text.</summary>
internal static class Schema
{
    public const int Version = 1;

    // WAL with synchronous=NORMAL: a commit is atomic and survives a process crash (SIGKILL);
    // after a power loss the last commits may be lost but the database stays consistent, and
    // checkpoints roll back together with the failures they counted, so nothing is double-counted.
    // A 512 KiB page cache instead of SQLite's 2 MB: the daemon reads its state once at start and
    // then mostly appends; the OS page cache holds the file anyway.
    public const string Pragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA busy_timeout = 5000;
        PRAGMA cache_size = -512;
        """;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS bans (
            id       INTEGER PRIMARY KEY,
            jail     TEXT    NOT NULL,
            target   TEXT    NOT NULL,
            start    INTEGER NOT NULL,
            expires  INTEGER,
            origin   TEXT    NOT NULL,
            failures INTEGER NOT NULL,
            lifted   INTEGER
        );
        CREATE INDEX IF NOT EXISTS bans_open ON bans (jail, target) WHERE lifted IS NULL;
        CREATE INDEX IF NOT EXISTS bans_target ON bans (target, start);
        CREATE TABLE IF NOT EXISTS failures (
            jail     TEXT    NOT NULL,
            id       TEXT    NOT NULL,
            address  TEXT,
            time     INTEGER NOT NULL,
            attempts INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS failures_key ON failures (jail, id);
        CREATE INDEX IF NOT EXISTS failures_time ON failures (time);
        CREATE TABLE IF NOT EXISTS checkpoints (
            source  TEXT PRIMARY KEY,
            token   TEXT    NOT NULL,
            updated INTEGER NOT NULL
        );
        """;
}
