using System.Net;

namespace Warden.Core.Ports;

/// <summary>
/// An outside judge of whether an address must not be banned: fail2ban's <c>ignorecommand</c>
/// (a program that exits 0 for "ignore"). The engine asks it once per ban decision, not per
/// failure, so a flood does not spawn a process per line. Calls come from the engine loop.
/// </summary>
public interface IIgnoreCheck
{
    /// <summary>True when <paramref name="address"/> must not be banned by <paramref name="jail"/>.</summary>
    /// <remarks>A check that cannot run answers <c>false</c> (ban as usual) and logs why, as fail2ban does.</remarks>
    Task<bool> IsIgnoredAsync(string jail, IPAddress address, CancellationToken cancellationToken);
}
