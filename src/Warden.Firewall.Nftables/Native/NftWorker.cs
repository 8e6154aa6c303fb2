using System.Collections.Concurrent;

namespace Warden.Firewall.Nftables.Native;

/// <summary>
/// The one thread every libnftables call runs on: it joins the configured network namespace
/// first (and refuses all work if it cannot prove it did), then owns the context for its life.
/// Thread-safe: any thread may queue work; items run one at a time in queue order.
/// The session (context and drift watch) is created on this thread after the namespace join.
/// </summary>
internal sealed class NftWorker : IDisposable
{
    private readonly BlockingCollection<Action<NftSession?, Exception?>> _queue = [];
    private readonly Thread _thread;
    private readonly string? _namespace;

    public NftWorker(string? networkNamespace)
    {
        _namespace = networkNamespace;
        _thread = new Thread(Run) { IsBackground = true, Name = "warden-nft" };
        _thread.Start();
    }

    /// <summary>The kernel thread id of the worker (netfilter reports it as the pid of our commits).</summary>
    public int ThreadId { get; private set; }

    /// <summary>Runs <paramref name="work"/> on the worker thread.</summary>
    public Task<T> RunAsync<T>(Func<NftSession, T> work, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((context, failure) =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                done.TrySetCanceled(cancellationToken);
                return;
            }

            if (failure is not null)
            {
                // A new exception per call: rethrowing the one stored failure through every
                // caller's await would append their frames to its stack trace, growing it each retry.
                done.TrySetException(new Core.Ports.FirewallException("nftables", "start", failure.Message, inner: failure));
                return;
            }

            try
            {
                done.TrySetResult(work(context!));
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        }, CancellationToken.None);
        return done.Task;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _queue.Dispose();
    }

    private void Run()
    {
        ThreadId = LibC.GetTid();
        NftSession? context = null;
        Exception? failure = null;
        try
        {
            if (_namespace is not null)
            {
                NetworkNamespaceJoin.Enter(_namespace);
            }

            context = NftSession.Create();
        }
        catch (Exception ex)
        {
            // Every queued call fails with the reason; nothing ever runs in the wrong namespace.
            failure = ex;
        }

        try
        {
            foreach (var item in _queue.GetConsumingEnumerable())
            {
                item(context, failure);
            }
        }
        finally
        {
            context?.Dispose();
        }
    }
}
