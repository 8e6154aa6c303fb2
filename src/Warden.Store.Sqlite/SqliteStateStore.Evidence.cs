using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Warden.Core.Addresses;
using Warden.Core.Bans;
using Warden.Core.Ports;

namespace Warden.Store.Sqlite;

/// <summary>The ban history with its evidence, for <c>warden show</c> (<see cref="IEvidenceStore"/>).</summary>
public sealed partial class SqliteStateStore
{
    private const string BanColumns = "id, jail, target, start, expires, origin, failures, lifted, prior, banned_by, observed";

    /// <inheritdoc />
    public Task<IReadOnlyList<PastBan>> BansOfAsync(IPNetwork target, int limit, CancellationToken cancellationToken)
    {
        try
        {
            using var command = _connection.CreateCommand();
            if (AddressParsing.IsHost(target))
            {
                // The address's own bans and every prefix ban that covers it: one indexed lookup
                // per prefix length, instead of a scan of the whole history.
                var bits = target.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
                var names = new List<string>(bits + 1);
                for (var prefix = 0; prefix <= bits; prefix++)
                {
                    var name = "$t" + prefix;
                    names.Add(name);
                    command.Parameters.AddWithValue(name, AddressParsing.ToNetwork(target.BaseAddress, prefix).ToString());
                }

                command.CommandText = $"SELECT {BanColumns} FROM bans WHERE target IN ({string.Join(", ", names)}) ORDER BY start DESC LIMIT $n";
                command.Parameters.AddWithValue("$n", limit);
                return Task.FromResult<IReadOnlyList<PastBan>>(WithEvidence(ReadRecords(command, _ => true)));
            }

            // A network: the bans inside it and those around it. Rare (an admin's question), so a scan.
            command.CommandText = $"SELECT {BanColumns} FROM bans ORDER BY start DESC";
            var found = ReadRecords(command, t => Overlap(t, target));
            return Task.FromResult<IReadOnlyList<PastBan>>(WithEvidence(found.Count > limit ? found[..limit] : found));
        }
        catch (SqliteException ex)
        {
            throw new StateStoreException(Path, $"cannot read ban history: {ex.Message}", ex);
        }
    }

    /// <summary>Every recorded ban that started at or after <paramref name="since"/>, oldest first, with its evidence (for <c>warden compare</c>).</summary>
    /// <exception cref="StateStoreException">The history cannot be read.</exception>
    public IReadOnlyList<PastBan> BansSince(DateTimeOffset since)
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {BanColumns} FROM bans WHERE start >= $since ORDER BY start, id";
            command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
            return WithEvidence(ReadRecords(command, _ => true));
        }
        catch (SqliteException ex)
        {
            throw new StateStoreException(Path, $"cannot read ban history: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PastBan>> BansSinceAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {BanColumns} FROM bans WHERE start >= $since ORDER BY start DESC, id DESC LIMIT $n";
            command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$n", limit);
            return Task.FromResult<IReadOnlyList<PastBan>>(WithEvidence(ReadRecords(command, _ => true)));
        }
        catch (SqliteException ex)
        {
            throw new StateStoreException(Path, $"cannot read ban history: {ex.Message}", ex);
        }
    }

    /// <summary>Every failure counted and not yet settled by a ban, oldest first.</summary>
    /// <exception cref="StateStoreException">The failures cannot be read.</exception>
    public IReadOnlyList<StoredFailure> Failures()
    {
        try
        {
            return LoadFailures();
        }
        catch (SqliteException ex)
        {
            throw new StateStoreException(Path, $"cannot read failures: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredFailure>> FailuresOfAsync(IPNetwork target, CancellationToken cancellationToken)
    {
        try
        {
            var inside = LoadFailures().Where(f => f.Address is { } a && target.Contains(AddressParsing.Normalize(a))).ToList();
            return Task.FromResult<IReadOnlyList<StoredFailure>>(inside);
        }
        catch (SqliteException ex)
        {
            throw new StateStoreException(Path, $"cannot read failures: {ex.Message}", ex);
        }
    }

    private static bool Overlap(IPNetwork a, IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));

    private static List<(long Id, PastBan Ban)> ReadRecords(SqliteCommand command, Func<IPNetwork, bool> keep)
    {
        var records = new List<(long, PastBan)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!IPNetwork.TryParse(reader.GetString(2), out var target) || !keep(target) || !TryOrigin(reader.GetString(5), out var origin))
            {
                continue;
            }

            var ban = new Ban(
                reader.GetString(1),
                target,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                origin,
                reader.GetInt32(6))
            {
                PriorBans = reader.GetInt32(8),
                By = reader.IsDBNull(9) ? null : reader.GetString(9),
                Observed = reader.GetInt64(10) != 0,
            };
            DateTimeOffset? lifted = reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7));
            var ended = lifted is { } l && (ban.Expires is null || l < ban.Expires) ? lifted : ban.Expires;
            records.Add((reader.GetInt64(0), new PastBan(ban, ended)));
        }

        return records;
    }

    private List<PastBan> WithEvidence(List<(long Id, PastBan Ban)> records)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT time, source, line FROM evidence WHERE ban = $ban ORDER BY seq";
        var id = command.Parameters.Add("$ban", SqliteType.Integer);
        var result = new List<PastBan>(records.Count);
        foreach (var (banId, past) in records)
        {
            id.Value = banId;
            var lines = new List<EvidenceLine>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    lines.Add(new EvidenceLine(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2)));
                }
            }

            result.Add(past with { Ban = past.Ban with { Evidence = lines } });
        }

        return result;
    }
}
