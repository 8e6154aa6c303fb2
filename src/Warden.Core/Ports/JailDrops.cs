namespace Warden.Core.Ports;

/// <summary>What a jail's rules in the firewall have dropped or rejected since they were made.</summary>
/// <param name="Jail">The jail.</param>
/// <param name="Packets">Packets matched.</param>
/// <param name="Bytes">Their bytes.</param>
public readonly record struct JailDrops(string Jail, long Packets, long Bytes);
