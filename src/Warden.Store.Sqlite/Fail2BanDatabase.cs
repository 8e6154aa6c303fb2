using System.Text.Json;
using Microsoft.Data.Sqlite;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Store.Sqlite;

/// <summary>
/// Reads fail2ban's own database (<c>/var/lib/fail2ban/fail2ban.sqlite3</c>, written by
/// server/database.py), read-only: its <c>bans</c> table holds every ban it made, with the time
/// of the ban, the ban time in seconds (<c>-1</c> permanent), the ban count of
/// <c>bantime.increment</c> and a JSON <c>data</c> column with the matched lines and failures.
/// </summary>
public static class Fail2BanDatabase
{
    /// <summary>Who made the bans read from fail2ban's database, as their <see cref="Ban.By"/> says.</summary>
    public const string By = "fail2ban (imported)";

    /// <summary>
    /// Every ban of the database, oldest first, as Warden bans of the same jail: target, start,
    /// expiry, failures, escalation step (<c>bancount - 1</c>) and matched lines as evidence. Rows
    /// whose address cannot be read are counted in <paramref name="skipped"/>.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="skipped">Rows left out (an address that is not one, a broken row).</param>
    /// <exception cref="StateStoreException">The file cannot be opened or is not a fail2ban database.</exception>
    public static IReadOnlyList<Ban> ReadBans(string path, out int skipped)
    {
        ArgumentNullException.ThrowIfNull(path);
        skipped = 0;
        if (!File.Exists(path))
        {
            throw new StateStoreException(path, "no such file (fail2ban keeps its database at dbfile in fail2ban.conf, /var/lib/fail2ban/fail2ban.sqlite3 on Debian)", null);
        }

        SystemSqlite.Ensure();
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT jail, ip, timeofban, bantime, bancount, data FROM bans ORDER BY timeofban, rowid";
            using var reader = command.ExecuteReader();
            var bans = new List<Ban>();
            while (reader.Read())
            {
                if (reader.IsDBNull(0) || reader.IsDBNull(1) || !AddressParsing.TryParseNetwork(reader.GetString(1), out var target))
                {
                    skipped++;
                    continue;
                }

                var start = DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(2));
                var seconds = reader.GetInt64(3);
                var (failures, lines) = Data(reader.IsDBNull(5) ? null : reader.GetString(5));
                var source = $"fail2ban:{reader.GetString(0)}";
                bans.Add(new Ban(reader.GetString(0), target, start, seconds < 0 ? null : start.AddSeconds(seconds), BanOrigin.Jail, failures)
                {
                    By = By,
                    PriorBans = Math.Max(0, reader.GetInt32(4) - 1),
                    Evidence = [.. lines.Select(l => new EvidenceLine(start, source, l))],
                });
            }

            return bans;
        }
        catch (SqliteException ex)
        {
            throw new StateStoreException(path, $"cannot read fail2ban's bans table: {ex.Message}", ex);
        }
    }

    /// <summary>The jails fail2ban's database knows (its <c>jails</c> table), with whether each is enabled now.</summary>
    /// <param name="path">The database file.</param>
    /// <exception cref="StateStoreException">The file cannot be opened or is not a fail2ban database.</exception>
    public static IReadOnlyDictionary<string, bool> ReadJails(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new StateStoreException(path, "no such file", null);
        }

        SystemSqlite.Ensure();
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name, enabled FROM jails";
            using var reader = command.ExecuteReader();
            var jails = new Dictionary<string, bool>(StringComparer.Ordinal);
            while (reader.Read())
            {
                if (!reader.IsDBNull(0))
                {
                    jails[reader.GetString(0)] = reader.IsDBNull(1) || reader.GetInt64(1) != 0;
                }
            }

            return jails;
        }
        catch (SqliteException ex)
        {
            throw new StateStoreException(path, $"cannot read fail2ban's jails table: {ex.Message}", ex);
        }
    }

    // data is {"matches": [...], "failures": N} (server/database.py addBan); matches may be absent
    // (dbmaxmatches = 0) and each match a string or a list of the parts fail2ban joined.
    private static (int Failures, List<string> Lines) Data(string? json)
    {
        var lines = new List<string>();
        if (string.IsNullOrEmpty(json))
        {
            return (0, lines);
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (0, lines);
            }

            var failures = doc.RootElement.TryGetProperty("failures", out var f) && f.TryGetInt32(out var n) ? n : 0;
            if (doc.RootElement.TryGetProperty("matches", out var matches) && matches.ValueKind == JsonValueKind.Array)
            {
                foreach (var match in matches.EnumerateArray())
                {
                    if (match.ValueKind == JsonValueKind.String)
                    {
                        lines.Add(match.GetString()!);
                    }
                    else if (match.ValueKind == JsonValueKind.Array)
                    {
                        lines.Add(string.Concat(match.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.String ? p.GetString() : p.ToString())));
                    }
                }
            }

            return (failures, lines);
        }
        catch (JsonException)
        {
            return (0, lines);
        }
    }
}
