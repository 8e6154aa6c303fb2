namespace Warden.Firewall.Nftables.Native;

/// <summary>What lives on the worker thread, inside its namespace: the libnftables context and the drift watch.</summary>
internal sealed class NftSession : IDisposable
{
    private NftSession(NftContext context, NftDriftWatch watch)
    {
        Context = context;
        Watch = watch;
    }

    public NftContext Context { get; private set; }

    public NftDriftWatch Watch { get; }

    public static NftSession Create()
    {
        var context = NftContext.Create();
        try
        {
            return new NftSession(context, new NftDriftWatch());
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Replaces the libnftables context by a fresh one. After a transaction of 100,000 elements
    /// the old context's cache and parser state keep about 4 MB of malloc arena pinned; freeing
    /// the context lets <c>malloc_trim</c> hand it back. The old context stays when a new one
    /// cannot be made.
    /// </summary>
    public void RenewContext()
    {
        var fresh = NftContext.Create();
        Context.Dispose();
        Context = fresh;
    }

    /// <summary>Runs commands as one transaction under the drift watch.</summary>
    public NftResult Commit(string commands, CommitKind kind) => Watch.Commit(() => Context.Run(commands), kind);

    public void Dispose()
    {
        Watch.Dispose();
        Context.Dispose();
    }
}
