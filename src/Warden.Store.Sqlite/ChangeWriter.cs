using Microsoft.Data.Sqlite;
using Warden.Core.Ports;

namespace Warden.Store.Sqlite;

/// <summary>Writes one <see cref="StateChanges"/> batch inside an open transaction, with prepared statements.</summary>
internal sealed class ChangeWriter(SqliteConnection connection, SqliteTransaction transaction)
{
    public void Write(StateChanges changes)
    {
        WriteCheckpoints(changes.Checkpoints);
        WriteFailures(changes.Failures);
        ClearFailures(changes.ClearedFailures);
        WriteBans(changes);
        if (changes.PruneFailuresBefore is { } before)
        {
            using var prune = Command("DELETE FROM failures WHERE time < $t");
            prune.Parameters.AddWithValue("$t", before.ToUnixTimeMilliseconds());
            prune.ExecuteNonQuery();
        }

        if (changes.PurgeHistoryBefore is { } cutoff)
        {
            PurgeHistory(cutoff);
        }
    }

    // A ban ended when it was lifted (or superseded) or expired, whichever came first; one that
    // has not ended (in force, or permanent) stays whatever its age.
    private void PurgeHistory(DateTimeOffset cutoff)
    {
        const string Ended = "((lifted IS NOT NULL AND lifted < $c) OR (expires IS NOT NULL AND expires < $c))";
        using var evidence = Command($"DELETE FROM evidence WHERE ban IN (SELECT id FROM bans WHERE {Ended})");
        evidence.Parameters.AddWithValue("$c", cutoff.ToUnixTimeMilliseconds());
        evidence.ExecuteNonQuery();
        using var bans = Command($"DELETE FROM bans WHERE {Ended}");
        bans.Parameters.AddWithValue("$c", cutoff.ToUnixTimeMilliseconds());
        bans.ExecuteNonQuery();
    }

    private void WriteCheckpoints(List<SourceCheckpoint> checkpoints)
    {
        if (checkpoints.Count == 0)
        {
            return;
        }

        // Only the last checkpoint of each source matters.
        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var checkpoint in checkpoints)
        {
            last[checkpoint.SourceId] = checkpoint.Token;
        }

        using var command = Command("INSERT INTO checkpoints (source, token, updated) VALUES ($s, $t, $u) ON CONFLICT (source) DO UPDATE SET token = excluded.token, updated = excluded.updated");
        var source = command.Parameters.Add("$s", SqliteType.Text);
        var token = command.Parameters.Add("$t", SqliteType.Text);
        command.Parameters.AddWithValue("$u", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        foreach (var (id, value) in last)
        {
            source.Value = id;
            token.Value = value;
            command.ExecuteNonQuery();
        }
    }

    private void WriteFailures(List<StoredFailure> failures)
    {
        if (failures.Count == 0)
        {
            return;
        }

        using var command = Command("INSERT INTO failures (jail, id, address, time, attempts) VALUES ($j, $i, $a, $t, $n)");
        var jail = command.Parameters.Add("$j", SqliteType.Text);
        var id = command.Parameters.Add("$i", SqliteType.Text);
        var address = command.Parameters.Add("$a", SqliteType.Text);
        var time = command.Parameters.Add("$t", SqliteType.Integer);
        var attempts = command.Parameters.Add("$n", SqliteType.Integer);
        command.Prepare();
        foreach (var failure in failures)
        {
            jail.Value = failure.Jail;
            id.Value = failure.Id;
            address.Value = (object?)failure.Address?.ToString() ?? DBNull.Value;
            time.Value = failure.Time.ToUnixTimeMilliseconds();
            attempts.Value = failure.Attempts;
            command.ExecuteNonQuery();
        }
    }

    private void ClearFailures(List<(string Jail, string Id)> cleared)
    {
        if (cleared.Count == 0)
        {
            return;
        }

        using var command = Command("DELETE FROM failures WHERE jail = $j AND id = $i");
        var jail = command.Parameters.Add("$j", SqliteType.Text);
        var id = command.Parameters.Add("$i", SqliteType.Text);
        foreach (var (jailName, failureId) in cleared)
        {
            jail.Value = jailName;
            id.Value = failureId;
            command.ExecuteNonQuery();
        }
    }

    private void WriteBans(StateChanges changes)
    {
        if (changes.Bans.Count > 0)
        {
            // A new ban of a target supersedes the open one of the same jail: it ends when the new one starts.
            using var close = Command("UPDATE bans SET lifted = $at WHERE jail = $j AND target = $t AND lifted IS NULL");
            var closeAt = close.Parameters.Add("$at", SqliteType.Integer);
            var closeJail = close.Parameters.Add("$j", SqliteType.Text);
            var closeTarget = close.Parameters.Add("$t", SqliteType.Text);
            using var insert = Command("INSERT INTO bans (jail, target, start, expires, origin, failures, prior, banned_by, observed) VALUES ($j, $t, $s, $e, $o, $f, $p, $b, $w) RETURNING id");
            var jail = insert.Parameters.Add("$j", SqliteType.Text);
            var target = insert.Parameters.Add("$t", SqliteType.Text);
            var start = insert.Parameters.Add("$s", SqliteType.Integer);
            var expires = insert.Parameters.Add("$e", SqliteType.Integer);
            var origin = insert.Parameters.Add("$o", SqliteType.Text);
            var failures = insert.Parameters.Add("$f", SqliteType.Integer);
            var prior = insert.Parameters.Add("$p", SqliteType.Integer);
            var by = insert.Parameters.Add("$b", SqliteType.Text);
            var observed = insert.Parameters.Add("$w", SqliteType.Integer);
            using var evidence = Command("INSERT INTO evidence (ban, seq, time, source, line) VALUES ($ban, $seq, $time, $source, $line)");
            var evidenceBan = evidence.Parameters.Add("$ban", SqliteType.Integer);
            var evidenceSeq = evidence.Parameters.Add("$seq", SqliteType.Integer);
            var evidenceTime = evidence.Parameters.Add("$time", SqliteType.Integer);
            var evidenceSource = evidence.Parameters.Add("$source", SqliteType.Text);
            var evidenceLine = evidence.Parameters.Add("$line", SqliteType.Text);
            foreach (var ban in changes.Bans)
            {
                closeAt.Value = ban.Start.ToUnixTimeMilliseconds();
                closeJail.Value = ban.Jail;
                closeTarget.Value = ban.Target.ToString();
                close.ExecuteNonQuery();

                jail.Value = ban.Jail;
                target.Value = ban.Target.ToString();
                start.Value = ban.Start.ToUnixTimeMilliseconds();
                expires.Value = (object?)ban.Expires?.ToUnixTimeMilliseconds() ?? DBNull.Value;
                origin.Value = ban.Origin.ToString();
                failures.Value = ban.Failures;
                prior.Value = ban.PriorBans;
                by.Value = (object?)ban.By ?? DBNull.Value;
                observed.Value = ban.Observed ? 1 : 0;
                var id = (long)insert.ExecuteScalar()!;
                for (var i = 0; i < ban.Evidence.Count; i++)
                {
                    var line = ban.Evidence[i];
                    evidenceBan.Value = id;
                    evidenceSeq.Value = i;
                    evidenceTime.Value = line.Time.ToUnixTimeMilliseconds();
                    evidenceSource.Value = line.Source;
                    evidenceLine.Value = line.Line;
                    evidence.ExecuteNonQuery();
                }
            }
        }

        if (changes.Lifted.Count > 0)
        {
            using var lift = Command("UPDATE bans SET lifted = $at WHERE jail = $j AND target = $t AND lifted IS NULL");
            var at = lift.Parameters.Add("$at", SqliteType.Integer);
            var jail = lift.Parameters.Add("$j", SqliteType.Text);
            var target = lift.Parameters.Add("$t", SqliteType.Text);
            foreach (var (ban, when) in changes.Lifted)
            {
                at.Value = when.ToUnixTimeMilliseconds();
                jail.Value = ban.Jail;
                target.Value = ban.Target.ToString();
                lift.ExecuteNonQuery();
            }
        }
    }

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
