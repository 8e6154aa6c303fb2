using System.Threading.Channels;

namespace Warden.Cli.Hosting;

/// <summary>
/// Requests to read the configuration again: from SIGHUP (no one waits for the answer) and from
/// <c>warden reload</c> through the admin API (which waits for it). Thread-safe: signal handlers
/// and API requests write, the run command alone reads.
/// </summary>
internal sealed class ReloadRequests
{
    private readonly Channel<TaskCompletionSource<Web.Api.ReloadResult>?> _channel =
        Channel.CreateUnbounded<TaskCompletionSource<Web.Api.ReloadResult>?>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Asks for a reload without waiting (SIGHUP).</summary>
    public void Request() => _channel.Writer.TryWrite(null);

    /// <summary>Asks for a reload and waits until the new configuration was validated and taken, or refused.</summary>
    public async Task<Web.Api.ReloadResult> RequestAsync(CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<Web.Api.ReloadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _channel.Writer.WriteAsync(reply, cancellationToken);
        return await reply.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The next request; its reply (null for a signal) is the reader's to complete.</summary>
    public Task<TaskCompletionSource<Web.Api.ReloadResult>?> NextAsync(CancellationToken cancellationToken) =>
        _channel.Reader.ReadAsync(cancellationToken).AsTask();
}
