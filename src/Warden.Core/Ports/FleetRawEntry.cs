namespace Warden.Core.Ports;

/// <summary>One entry as the bus holds it: its log id and its fields, not yet parsed nor trusted.</summary>
public sealed record FleetRawEntry(string Id, IReadOnlyList<KeyValuePair<string, string>> Fields);
