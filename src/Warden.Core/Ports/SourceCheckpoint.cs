namespace Warden.Core.Ports;

/// <summary>Where reading of a source resumes: the source id and its opaque token.</summary>
public sealed record SourceCheckpoint(string SourceId, string Token);
