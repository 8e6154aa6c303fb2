namespace Warden.Linux.Processes;

/// <summary>What a program run by <see cref="ProgramRunner"/> gave back.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StdOut">Everything it wrote to standard output.</param>
/// <param name="StdErr">Everything it wrote to standard error.</param>
public sealed record ProgramResult(int ExitCode, string StdOut, string StdErr);
