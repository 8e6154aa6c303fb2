namespace Warden.Store.Sqlite;

/// <summary>The database layout. Times are Unix milliseconds (UTC); networks are canonical text.</summary>
internal static class Schema
{
    public const int Version = 3;

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
            lifted   INTEGER,
            prior    INTEGER NOT NULL DEFAULT 0,
            banned_by TEXT,
            observed INTEGER NOT NULL DEFAULT 0
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
        CREATE TABLE IF NOT EXISTS evidence (
            ban    INTEGER NOT NULL,
            seq    INTEGER NOT NULL,
            time   INTEGER NOT NULL,
            source TEXT    NOT NULL,
            line   TEXT    NOT NULL,
            PRIMARY KEY (ban, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS checkpoints (
            source  TEXT PRIMARY KEY,
            token   TEXT    NOT NULL,
            updated INTEGER NOT NULL
        );
        """;

    // After Create (which leaves an existing table as it is) and the migrations: indexes on
    // columns an older database gains only by migrating.
    public const string Indexes = """
        CREATE INDEX IF NOT EXISTS bans_lifted ON bans (lifted) WHERE lifted IS NOT NULL;
        CREATE INDEX IF NOT EXISTS bans_expires ON bans (expires) WHERE expires IS NOT NULL;
        """;

    /// <summary>
    /// Steps from each older version to the next, run in one transaction at open. Version 2
    /// (evidence, issue 15): who made a ban, its escalation step, and the evidence table (created
    /// by <see cref="Create"/>); older rows get step 0 and no evidence. Version 3 (shadow mode,
    /// issue 17): whether a ban was a "would ban" of an observing jail; older rows were enforced.
    /// </summary>
    public static readonly IReadOnlyList<(int From, string Sql)> Migrations =
    [
        (1, """
            ALTER TABLE bans ADD COLUMN prior INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE bans ADD COLUMN banned_by TEXT;
            """),
        (2, """
            ALTER TABLE bans ADD COLUMN observed INTEGER NOT NULL DEFAULT 0;
            """),
    ];
}
