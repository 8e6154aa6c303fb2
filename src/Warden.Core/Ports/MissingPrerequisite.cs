namespace Warden.Core.Ports;

/// <summary>Something a backend needs that this host lacks, and the Debian package that provides it.</summary>
/// <param name="What">What is missing, as a person reads it (a library, a program).</param>
/// <param name="Package">The Debian package to install.</param>
public sealed record MissingPrerequisite(string What, string Package);
