using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Warden.Core.Bans;
using Warden.Core.Diagnostics;
using Warden.Core.Ports;
using Warden.Firewall.Nftables.Native;
using Warden.Firewall.Nftables.Ruleset;

namespace Warden.Firewall.Nftables;

/// <summary>
/// The nftables backend: owns <c>table inet warden</c> and nothing else, talks to the kernel
/// through libnftables in-process (no <c>nft</c> process per ban), and gives every ban a kernel
/// timeout so bans end on time even while Warden is down.
/// </summary>
/// <remarks>
/// Each call is one nft transaction. All libnftables calls run on one dedicated thread (a
/// context is not thread-safe); the public methods may be called from any thread but, as
/// <see cref="IFirewall"/> says, one at a time. Dispose stops the thread; the table stays.
/// </remarks>
public sealed partial class NftablesFirewall : IFirewall, IFirewallMonitor, IFirewallDiagnostics, IFirewallReadBack, IFirewallCounters, IDisposable
{
    private readonly NftablesOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly NftWorker _worker;
    private Dictionary<string, JailSets> _jails = new(StringComparer.Ordinal);
    private NetBanMirror _nets = new();

    private NftablesFirewall(NftablesOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _log = logger;
        _worker = new NftWorker(options.NetworkNamespace);
    }

    private const int LargeApply = 10_000;

    // Quiet time after a burst of changes before their malloc arena is handed back.
    private static readonly TimeSpan QuietBeforeTrim = TimeSpan.FromMilliseconds(200);

    private ITimer? _trimTimer;
    private int _changedSinceTrim;

    /// <inheritdoc />
    public string Name => "nftables";

    /// <inheritdoc />
    public bool ExpiresBans => true;

    /// <summary>Creates the backend; its thread starts (and joins the namespace, if any) at once, nothing is changed yet.</summary>
    public static NftablesFirewall Create(NftablesOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        return new NftablesFirewall(options, time, logger);
    }

    /// <summary>
    /// What this backend needs and this host lacks: <c>null</c> when libnftables can be loaded,
    /// otherwise what is missing and the Debian package that provides it. Changes nothing.
    /// </summary>
    public static MissingPrerequisite? FindMissing()
    {
        if (NativeLibrary.TryLoad(LibNftables.Library, out var handle))
        {
            NativeLibrary.Free(handle);
            return null;
        }

        return new MissingPrerequisite($"{LibNftables.Library} (the nftables library) cannot be loaded", "libnftables1");
    }

    /// <inheritdoc />
    public async Task ApplyStateAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(bans);
        var sets = new Dictionary<string, JailSets>(StringComparer.Ordinal);
        foreach (var jail in jails)
        {
            RuleText.Validate(jail);
            ScanLogText.Validate(jail);
            sets[jail.Name] = JailSets.For(jail);
        }

        var now = _time.GetUtcNow();
        var nets = new NetBanMirror();
        var hosts = new Dictionary<string, Dictionary<IPNetwork, TimeSpan?>>(StringComparer.Ordinal);
        foreach (var ban in bans)
        {
            if (!ban.IsActiveAt(now) || !sets.TryGetValue(ban.Jail, out var jailSets))
            {
                continue;
            }

            var v6 = TransactionText.IsV6(ban.Target);
            if (Core.Addresses.AddressParsing.IsHost(ban.Target))
            {
                var set = jailSets.Host(v6);
                if (!hosts.TryGetValue(set, out var members))
                {
                    members = [];
                    hosts[set] = members;
                }

                members[ban.Target] = ban.RemainingAt(now);
            }
            else
            {
                nets.Put(jailSets.Net(v6), ban);
            }
        }

        var text = ApplyText.Build(sets.Values, _options.BlockType, hosts, nets, now);
        var watch = Stopwatch.StartNew();
        await RunAsync(text, CommitKind.Apply, cancellationToken);
        _jails = sets;
        _nets = nets;
        Log.Applied(_log, sets.Count, bans.Count, watch.Elapsed.TotalMilliseconds);
        if (bans.Count >= LargeApply)
        {
            Interlocked.Exchange(ref _changedSinceTrim, 0);
            await ReleaseMemoryAsync(cancellationToken);
        }
    }

    // Many small transactions (a flood of bans through the logs) leave the same kind of arena
    // behind as one big apply; it is handed back once the changes pause, not during the flood.
    private void NoteChanged(int count)
    {
        if (Interlocked.Add(ref _changedSinceTrim, count) < LargeApply)
        {
            return;
        }

        _trimTimer ??= _time.CreateTimer(_ => _ = TrimAfterBurstAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _trimTimer.Change(QuietBeforeTrim, Timeout.InfiniteTimeSpan);
    }

    private async Task TrimAfterBurstAsync()
    {
        Interlocked.Exchange(ref _changedSinceTrim, 0);
        try
        {
            await ReleaseMemoryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is FirewallException or InvalidOperationException or ObjectDisposedException)
        {
            // A new context could not be made (the old one stays), or the backend was disposed meanwhile.
            Log.TrimFailed(_log, ex);
        }
    }

    // A whole-state apply of many bans (start, drift repair) leaves behind libnftables' parse of
    // the transaction (about 40 MB of malloc arena at 100,000 elements), none of which is needed
    // again: a fresh context unpins what the old one held, and malloc_trim hands it all back, so
    // a daemon with 100,000 bans stays small. The managed garbage (the text, the caller's ban
    // objects) is the caller's to collect once this returns (the engine does).
    private Task<int> ReleaseMemoryAsync(CancellationToken cancellationToken) =>
        _worker.RunAsync(static session =>
        {
            session.RenewContext();
            return LibC.MallocTrim(0);
        }, cancellationToken);

    /// <inheritdoc />
    public Task BanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) =>
        ChangeAsync(bans, static (change, ban, now) => change.Ban(ban, now), cancellationToken);

    /// <inheritdoc />
    public Task UnbanAsync(IReadOnlyList<Ban> bans, CancellationToken cancellationToken) =>
        ChangeAsync(bans, static (change, ban, _) => change.Unban(ban), cancellationToken);

    /// <inheritdoc />
    public async Task RemoveAllAsync(CancellationToken cancellationToken)
    {
        // "add" first makes the delete succeed whether or not the table exists.
        await RunAsync($"add table inet {NftablesOptions.TableName}\ndelete table inet {NftablesOptions.TableName}\n", CommitKind.Remove, cancellationToken);
        _jails = new Dictionary<string, JailSets>(StringComparer.Ordinal);
        _nets = new NetBanMirror();
    }

    /// <inheritdoc />
    /// <remarks>
    /// Costs two small netlink requests and reading queued change notifications; never lists
    /// set elements (an nft listing of a 100,000-element set takes about half a second).
    /// </remarks>
    public Task<string?> CheckAsync(CancellationToken cancellationToken) =>
        _worker.RunAsync(session => session.Watch.Take(), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Polls the drift watch every 100 ms on the worker thread: a non-blocking read of queued notifications and one netlink request.</remarks>
    public async Task WhenChangedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
            if (await _worker.RunAsync(session => session.Watch.Poll(), cancellationToken))
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DoctorFinding>> DiagnoseAsync(IReadOnlyList<FirewallJail> jails, IReadOnlyCollection<Ban> bans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jails);
        ArgumentNullException.ThrowIfNull(bans);
        return NftablesDiagnostics.RunAsync(_worker, jails, bans, _time.GetUtcNow(), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>One JSON listing of table inet warden: about half a second per 100,000 elements.</remarks>
    public async Task<IReadOnlyList<Ban>> ReadBansAsync(IReadOnlyList<FirewallJail> jails, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jails);
        var result = await _worker.RunAsync(session => session.Context.ListJson($"list table inet {NftablesOptions.TableName}"), cancellationToken);
        if (!result.Succeeded)
        {
            // The table does not exist (a first start, a flushed ruleset): nothing to keep.
            return [];
        }

        try
        {
            return KernelBans.From(TableListing.Parse(result.Output), jails, now);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FirewallException(Name, "list table inet warden", $"unreadable listing: {ex.Message}");
        }
    }

    /// <inheritdoc />
    /// <remarks>One netlink dump of the base chain's rules (a few per jail), whatever the number of bans.</remarks>
    public async Task<IReadOnlyList<JailDrops>> ReadDropsAsync(CancellationToken cancellationToken)
    {
        var jails = _jails.Values;
        var rules = await _worker.RunAsync(_ => RuleDump.Read(NftablesOptions.TableName, RuleText.ChainName), cancellationToken);
        return RuleCounters.Sum(rules, jails);
    }

    /// <summary>Stops the worker thread and frees the libnftables context; Warden's table stays in the kernel.</summary>
    public void Dispose()
    {
        _trimTimer?.Dispose();
        _worker.Dispose();
    }

    // One transaction for the whole batch; the network mirror is replaced only once it committed.
    private async Task ChangeAsync(IReadOnlyList<Ban> bans, Action<SetChange, Ban, DateTimeOffset> add, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bans);
        if (bans.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var change = new SetChange(_jails, _nets.Clone());
        foreach (var ban in bans)
        {
            add(change, ban, now);
        }

        await RunAsync(change.Build(now), CommitKind.Change, cancellationToken);
        _nets = change.Nets;
        NoteChanged(bans.Count);
    }

    private async Task RunAsync(string text, CommitKind kind, CancellationToken cancellationToken)
    {
        var result = await _worker.RunAsync(session => session.Commit(text, kind), cancellationToken);
        if (!result.Succeeded)
        {
            throw new FirewallException(Name, text, result.Error.Length > 0 ? result.Error : "nft failed without a message", result.ReturnCode);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4000, LogLevel.Information, "nftables: table inet warden applied with {Jails} jails and {Bans} bans in {Milliseconds} ms")]
        public static partial void Applied(ILogger logger, int jails, int bans, double milliseconds);

        [LoggerMessage(4001, LogLevel.Warning, "nftables: could not hand back memory after a burst of changes")]
        public static partial void TrimFailed(ILogger logger, Exception exception);
    }
}
