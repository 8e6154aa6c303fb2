namespace Warden.Core.Replay;

/// <summary>
/// A replay's clock: the time of the newest line replayed so far. It never goes back, as the
/// daemon's clock would not while it read those lines live.
/// </summary>
public sealed class ReplayClock : TimeProvider
{
    private DateTimeOffset _now;

    /// <summary>Starts the clock at <paramref name="start"/>.</summary>
    public ReplayClock(DateTimeOffset start) => _now = start;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock to <paramref name="time"/> when it is later; returns whether it moved.</summary>
    public bool Advance(DateTimeOffset time)
    {
        if (time <= _now)
        {
            return false;
        }

        _now = time;
        return true;
    }
}
