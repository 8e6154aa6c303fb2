using System.Net;
using Microsoft.Data.Sqlite;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Store.Sqlite;

/// <summary>
/// <see cref="IStateStore"/> on one SQLite file (WAL mode): bans with their history, failures
/// still inside findtime, and source checkpoints. One connection, used by one caller at a time
/// (the engine loop); every commit is one transaction.
/// </summary>
/// <remarks>
/// SQLite keeps writing to the file it opened: a database deleted (or replaced) under a running
/// daemon would take every later commit with it. So every commit first compares the path's
/// identity (device, inode) with the file opened; on a difference the store opens the path
/// afresh and reports <see cref="StateStoreException.Lost"/>, and the engine writes its whole
/// state. One statx(2) per commit.
/// </remarks>
public sealed partial class SqliteStateStore : IStateStore, IBanHistory, IEvidenceStore, IDisposable
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
    private SqliteConnection _connection;
    private Warden.Linux.FileIdentity? _identity;

    static SqliteStateStore()
    {
        SystemSqlite.Ensure();
    }

    private SqliteStateStore(string path, SqliteConnection connection, bool created)
    {
        Path = path;
        _connection = connection;
        _identity = Warden.Linux.FileIdentity.Of(path);
        Created = created;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>True when the file did not exist or was empty (0 bytes) when opened: the store starts with no state.</summary>
    public bool Created { get; }

    /// <summary>
    /// When the file was corrupt and <see cref="Open(string, bool)"/> moved it aside: where it went
    /// and what SQLite said of it; <c>null</c> otherwise.
    /// </summary>
    public (string Path, string Problem)? MovedAside { get; private init; }

    /// <summary>When this state file began (for a file of an older Warden, when this version first opened it).</summary>
    /// <exception cref="StateStoreException">The file cannot be read.</exception>
    public DateTimeOffset Began
    {
        get
        {
            try
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT value FROM meta WHERE key = 'created'";
                return command.ExecuteScalar() is string text && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
                    ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                    : DateTimeOffset.UtcNow;
            }
            catch (SqliteException ex)
            {
                throw new StateStoreException(Path, $"cannot read the state's start: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Opens (creating when needed, with a private directory) the database at <paramref name="path"/>.</summary>
    /// <exception cref="StateStoreException">The file cannot be created, is corrupt or is not a Warden database.</exception>
    public static SqliteStateStore Open(string path) => Open(path, moveCorruptAside: false);

    /// <summary>
    /// Opens (creating when needed, with a private directory) the database at
    /// <paramref name="path"/>, after SQLite's <c>PRAGMA quick_check</c>. A corrupt file (one that
    /// check reports, or one SQLite cannot read as a database) is, with
    /// <paramref name="moveCorruptAside"/>, renamed to <c>PATH.corrupt-TIME</c> (with its -wal and
    /// -shm) and a new one is created (see <see cref="MovedAside"/>); without, it is an error.
    /// </summary>
    /// <exception cref="StateStoreException">The file cannot be created, or is corrupt and not to be moved aside, or is not a Warden database.</exception>
    public static SqliteStateStore Open(string path, bool moveCorruptAside)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (directory is not null && !Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var created = !File.Exists(path) || new FileInfo(path).Length == 0;
            SqliteConnection connection;
            try
            {
                connection = Connect(path);
            }
            catch (CorruptStateException corrupt)
            {
                if (!moveCorruptAside)
                {
                    throw new StateStoreException(path, $"the state database is corrupt ({corrupt.Message}); `warden run` moves it aside and starts from the firewall's bans and the logs, or put back a copy from a backup", corrupt);
                }

                var aside = MoveAside(path);
                return new SqliteStateStore(path, Connect(path), created: true) { MovedAside = (aside, corrupt.Message) };
            }

            return new SqliteStateStore(path, connection, created);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or CorruptStateException)
        {
            throw new StateStoreException(path, $"cannot open the state database: {ex.Message}", ex);
        }
    }

    private static string MoveAside(string path)
    {
        var aside = $"{path}.corrupt-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'Z'}";
        for (var n = 2; File.Exists(aside); n++)
        {
            aside = $"{path}.corrupt-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'Z'}-{n}";
        }

        File.Move(path, aside);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, aside + suffix);
            }
        }

        return aside;
    }

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, Schema.Pragmas);
            QuickCheck(connection);
            Execute(connection, Schema.Create);
            Migrate(connection, path);
            Execute(connection, Schema.Indexes);
            // When this state began (a file of an older version: when it was first opened since).
            using var since = connection.CreateCommand();
            since.CommandText = "INSERT OR IGNORE INTO meta (key, value) VALUES ('created', $now)";
            since.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            since.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            connection.Dispose();
            throw new CorruptStateException(ex.Message, ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>SQLite's quick_check: a damaged page or index is reported as text, not as an error.</summary>
    private static void QuickCheck(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(5)";
        using var reader = command.ExecuteReader();
        var problems = new List<string>();
        while (reader.Read())
        {
            var row = reader.GetString(0);
            if (row != "ok")
            {
                problems.Add(row.Length > 200 ? row[..200] : row);
            }
        }

        if (problems.Count > 0)
        {
            throw new CorruptStateException($"quick_check: {string.Join("; ", problems)}");
        }
    }

    /// <inheritdoc />
    public Task<StoredState> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(new StoredState(LoadBans(now), LoadFailures(), LoadCheckpoints()));
        }
        catch (SqliteException ex)
        {
            throw new StateStoreException(Path, $"cannot read state: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public Task CommitAsync(StateChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        EnsureSameFile();
        try
        {
            using var transaction = _connection.BeginTransaction();
            var writer = new ChangeWriter(_connection, transaction);
            writer.Write(changes);
            transaction.Commit();
            return Task.CompletedTask;
        }
        catch (SqliteException ex)
        {
            throw new StateStoreException(Path, $"commit failed: {ex.Message}", ex);
        }
    }

    /// <summary>Every ban ever recorded for a target (history, newest first), for status and escalation.</summary>
    public IReadOnlyList<Ban> History(IPNetwork target, int limit = 100)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT jail, target, start, expires, origin, failures, lifted FROM bans WHERE target = $t ORDER BY start DESC LIMIT $n";
        command.Parameters.AddWithValue("$t", target.ToString());
        command.Parameters.AddWithValue("$n", limit);
        return ReadBans(command).ConvertAll(b => b.Ban);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PastBan>> HistoryAsync(IPNetwork target, int limit, CancellationToken cancellationToken)
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT jail, target, start, expires, origin, failures, lifted FROM bans WHERE target = $t ORDER BY start DESC LIMIT $n";
            command.Parameters.AddWithValue("$t", target.ToString());
            command.Parameters.AddWithValue("$n", limit);
            var bans = ReadBans(command);
            var history = new List<PastBan>(bans.Count);
            foreach (var (ban, lifted) in bans)
            {
                var ended = lifted is { } l && (ban.Expires is null || l < ban.Expires) ? lifted : ban.Expires;
                history.Add(new PastBan(ban, ended));
            }

            return Task.FromResult<IReadOnlyList<PastBan>>(history);
        }
        catch (SqliteException ex)
        {
            throw new StateStoreException(Path, $"cannot read ban history: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    // The path must still name the file the connection writes to; otherwise open the path again
    // (creating the file) and tell the engine, which writes its whole state with the next commit.
    private void EnsureSameFile()
    {
        Warden.Linux.FileIdentity? now;
        try
        {
            now = Warden.Linux.FileIdentity.Of(Path);
        }
        catch (IOException ex)
        {
            throw new StateStoreException(Path, $"cannot check the state database: {ex.Message}", ex);
        }

        if (now is not null && now == _identity)
        {
            return;
        }

        var what = now is null ? "was deleted" : "was replaced by another file";
        try
        {
            // Closing the old connection checkpoints into the unlinked file and removes its -wal and -shm.
            _connection.Dispose();
            _connection = Connect(Path);
            _identity = Warden.Linux.FileIdentity.Of(Path);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or StateStoreException or CorruptStateException)
        {
            throw new StateStoreException(Path, $"the state database {what} while Warden ran and cannot be opened again: {ex.Message}", ex);
        }

        throw new StateStoreException(Path, $"the state database {what} while Warden ran; opened the path again") { Lost = true };
    }

    private List<Ban> LoadBans(DateTimeOffset now)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT jail, target, start, expires, origin, failures, lifted, banned_by FROM bans
            WHERE lifted IS NULL AND (expires IS NULL OR expires > $now)
            ORDER BY start
            """;
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return ReadBans(command).ConvertAll(b => b.Ban);
    }

    private static List<(Ban Ban, DateTimeOffset? Lifted)> ReadBans(SqliteCommand command)
    {
        var bans = new List<(Ban, DateTimeOffset?)>();
        // Every row brings its own copy of the jail's name; 100,000 restored bans share a few.
        var jailNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            // Targets are stored canonical (IPNetwork.ToString()): the framework's parser is enough and
            // several times faster than the lenient config parser, which matters when 100,000 bans are restored.
            if (!IPNetwork.TryParse(reader.GetString(1), out var target) || !TryOrigin(reader.GetString(4), out var origin))
            {
                continue;
            }

            var jail = reader.GetString(0);
            if (!jailNames.TryGetValue(jail, out var shared))
            {
                jailNames[jail] = shared = jail;
            }

            // Who made it (a fleet ban's origin node: only its tombstone lifts it), shared like the jail names.
            string? by = null;
            if (reader.FieldCount > 7 && !reader.IsDBNull(7))
            {
                var name = reader.GetString(7);
                if (!names.TryGetValue(name, out by))
                {
                    names[name] = by = name;
                }
            }

            var ban = new Ban(
                shared,
                target,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                origin,
                reader.GetInt32(5))
            { By = by };
            bans.Add((ban, reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }

        return bans;
    }

    private static bool TryOrigin(string text, out BanOrigin origin)
    {
        origin = text switch
        {
            nameof(BanOrigin.Jail) => BanOrigin.Jail,
            nameof(BanOrigin.Manual) => BanOrigin.Manual,
            nameof(BanOrigin.Fleet) => BanOrigin.Fleet,
            nameof(BanOrigin.Prefix) => BanOrigin.Prefix,
            _ => (BanOrigin)(-1),
        };
        return Enum.IsDefined(origin);
    }

    private List<StoredFailure> LoadFailures()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT jail, id, address, time, attempts FROM failures ORDER BY time";
        var failures = new List<StoredFailure>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            IPAddress? address = null;
            if (!reader.IsDBNull(2) && AddressParsing.TryParseAddress(reader.GetString(2), out var parsed))
            {
                address = parsed;
            }

            failures.Add(new StoredFailure(
                reader.GetString(0),
                reader.GetString(1),
                address,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.GetInt32(4)));
        }

        return failures;
    }

    private List<SourceCheckpoint> LoadCheckpoints()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT source, token FROM checkpoints";
        var checkpoints = new List<SourceCheckpoint>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            checkpoints.Add(new SourceCheckpoint(reader.GetString(0), reader.GetString(1)));
        }

        return checkpoints;
    }

    // A database of an older schema is brought up to date in place, in one transaction, so a
    // Warden upgrade keeps the bans and history it had; a newer one is refused (a downgrade
    // would drop what it does not know).
    private static void Migrate(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'schema'";
        var found = command.ExecuteScalar() as string;
        if (found is null)
        {
            command.CommandText = $"INSERT INTO meta (key, value) VALUES ('schema', '{Schema.Version}')";
            command.ExecuteNonQuery();
            return;
        }

        if (!int.TryParse(found, out var version) || version > Schema.Version || version < 1)
        {
            throw new StateStoreException(path, $"database schema {found} is not one this Warden understands (1 to {Schema.Version})");
        }

        if (version == Schema.Version)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        foreach (var (from, sql) in Schema.Migrations)
        {
            if (from >= version)
            {
                command.CommandText = sql;
                command.ExecuteNonQuery();
            }
        }

        command.CommandText = $"UPDATE meta SET value = '{Schema.Version}' WHERE key = 'schema'";
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The file is not a readable SQLite database, or quick_check reports damage.</summary>
    private sealed class CorruptStateException(string message, Exception? inner = null) : Exception(message, inner);
}
