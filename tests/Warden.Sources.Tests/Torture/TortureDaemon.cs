using Warden.Core.Addresses;
using Warden.Core.Engine;
using Warden.Core.Jails;
using Warden.Sources.Files;

namespace Warden.Sources.Tests.Torture;

/// <summary>One engine run over a file, wired as <c>warden run</c> wires it, with a fake firewall and store.</summary>
internal sealed class TortureDaemon : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private TortureDaemon(BanEngine engine) => _run = engine.RunAsync(_stop.Token);

    public static TortureDaemon Start(string path, FakeStateStore store, ListLogger log)
    {
        var time = TimeProvider.System;
        var jail = new Jail(new JailPolicy("torture", 2, TimeSpan.FromHours(1), TimeSpan.FromHours(1), AddressSet.Empty), new SequenceFilter(time));
        var source = FileLogSource.Create(path, new FileSourceOptions(), time, log);
        var engine = new BanEngine([jail], [new SourceBinding(source, [jail])], new FakeFirewall(), null, store, null, time, log);
        return new TortureDaemon(engine);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _run;
        }

        _stop.Dispose();
    }
}
