using Warden.Core.Detections;

namespace Warden.Cli.Hosting;

/// <summary>The "filter" of a recidive jail: it reads no log (the engine feeds it bans), so it finds nothing.</summary>
internal sealed class BanFeedFilter : ILineFilter
{
    public static BanFeedFilter Instance { get; } = new();

    public void Process(string line, ICollection<Detection> detections)
    {
    }
}
