namespace Warden.Fleet.Redis;

/// <summary>
/// The Lua scripts the bus runs. Each runs atomically inside Redis (EVAL), which is what makes
/// the log, the snapshot and the epoch agree: a reader never sees an entry in the stream whose
/// snapshot change is missing, nor a snapshot without the stream position it reflects.
/// </summary>
/// <remarks>
/// KEYS: 1 the stream, 2 the snapshot hash, 3 the epoch, 4 the wake channel. The epoch is a
/// random id set when the stream is first written: a Redis that lost its data (restarted empty,
/// flushed) gets a new one, so a reader whose saved position names the old epoch knows it must
/// resync, even though new entries' ids (times) are above its position.
/// </remarks>
internal static class Scripts
{
    /// <summary>
    /// ARGV: minid for MINID trimming, a new epoch (used only when none is set), the number of
    /// entries, then per entry: kind, snapshot field, snapshot value, field count, fields.
    /// Returns {epoch, last id}.
    /// </summary>
    public const string Publish = """
        local epoch = redis.call('GET', KEYS[3])
        if not epoch then
          epoch = ARGV[2]
          redis.call('SET', KEYS[3], epoch)
        end
        local n = tonumber(ARGV[3])
        local i = 4
        local last = false
        for e = 1, n do
          local kind = ARGV[i]
          local skey = ARGV[i + 1]
          local sval = ARGV[i + 2]
          local nf = tonumber(ARGV[i + 3])
          i = i + 4
          local args = {'XADD', KEYS[1], 'MINID', '~', ARGV[1], '*'}
          for f = 1, nf * 2 do
            args[#args + 1] = ARGV[i]
            i = i + 1
          end
          last = redis.call(unpack(args))
          if kind == 'ban' then
            redis.call('HSET', KEYS[2], skey, sval)
          else
            redis.call('HDEL', KEYS[2], skey)
          end
        end
        redis.call('PUBLISH', KEYS[4], last)
        return {epoch, last}
        """;

    /// <summary>
    /// ARGV: the exclusive start ("(ID" or "-"), the most entries. Returns {epoch or nil, the
    /// first id still held (0-0 when empty), the last id ever generated, the highest id deleted
    /// with XDEL, the entries}. Trimming does not move max-deleted-entry-id (Redis 7.0), so a
    /// trim past a reader shows as a first id above its position.
    /// </summary>
    public const string Read = """
        local epoch = redis.call('GET', KEYS[3])
        if redis.call('EXISTS', KEYS[1]) == 0 then
          return {epoch, '0-0', '0-0', '0-0', {}}
        end
        local info = redis.call('XINFO', 'STREAM', KEYS[1])
        local first, last, deleted = '0-0', '0-0', '0-0'
        for i = 1, #info, 2 do
          if info[i] == 'recorded-first-entry-id' then first = info[i + 1] end
          if info[i] == 'last-generated-id' then last = info[i + 1] end
          if info[i] == 'max-deleted-entry-id' then deleted = info[i + 1] end
        end
        return {epoch, first, last, deleted, redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', ARGV[2])}
        """;

    /// <summary>
    /// Returns {epoch or nil, the stream's last generated id (also when trimming emptied it) or
    /// nil, the snapshot as field, value, ...}.
    /// </summary>
    public const string Snapshot = """
        local epoch = redis.call('GET', KEYS[3])
        local id = false
        if redis.call('EXISTS', KEYS[1]) == 1 then
          local info = redis.call('XINFO', 'STREAM', KEYS[1])
          for i = 1, #info, 2 do
            if info[i] == 'last-generated-id' then
              id = info[i + 1]
            end
          end
        end
        return {epoch, id, redis.call('HGETALL', KEYS[2])}
        """;
}
