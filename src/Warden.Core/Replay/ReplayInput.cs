using Warden.Core.Jails;

namespace Warden.Core.Replay;

/// <summary>One log to replay: its lines, oldest first, and the jails that read it.</summary>
/// <param name="Name">The log's name, for the summary.</param>
/// <param name="Lines">The lines, in the order they were written (rotated generations first).</param>
/// <param name="Jails">The jails whose filters read these lines.</param>
public sealed record ReplayInput(string Name, IEnumerable<string> Lines, IReadOnlyList<Jail> Jails);
