namespace Warden.Firewall.Nftables.Native;

/// <summary>What lives on the worker thread, inside its namespace: the libnftables context and the drift watch.</summary>
internal sealed class NftSession : IDisposable
{
    private NftSession(NftContext context, NftDriftWatch watch)
    {
        Context = context;
        Watch = watch;
    }

    public NftContext Context { get; }

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

    /// <summary>Runs commands as one transaction under the drift watch.</summary>
    public NftResult Commit(string commands, CommitKind kind) => Watch.Commit(() => Context.Run(commands), kind);

    public void Dispose()
    {
        Watch.Dispose();
        Context.Dispose();
    }
}
