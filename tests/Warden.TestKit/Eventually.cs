namespace Warden.TestKit;

/// <summary>Polls a condition until it holds or a deadline passes; for tests against real daemons.</summary>
public static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> is true; throws a timeout naming <paramref name="what"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout}: {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Synchronous-condition overload.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>As the other overloads, with <paramref name="what"/> made when the wait fails (a daemon's log as it is then, not as it was before the wait).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        ArgumentNullException.ThrowIfNull(what);
        try
        {
            await TrueAsync(condition, timeout, string.Empty);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"not within {timeout}: {what()}");
        }
    }

    /// <summary>Synchronous-condition overload with the message made when the wait fails.</summary>
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> what) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, what);
}
