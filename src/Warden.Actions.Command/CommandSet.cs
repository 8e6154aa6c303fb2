namespace Warden.Actions.Command;

/// <summary>
/// The shell commands of one action for one address family, with every configuration tag
/// already replaced; only ban tags (<c>&lt;ip&gt;</c>, <c>&lt;matches&gt;</c>, <c>&lt;F-USER&gt;</c>...) remain.
/// A <c>null</c> command means the action has no such operation.
/// </summary>
public sealed record CommandSet(string? Start, string? Stop, string? Check, string? Ban, string? Unban, string? Flush, string? Repair);
