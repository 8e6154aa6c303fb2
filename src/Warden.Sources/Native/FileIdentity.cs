namespace Warden.Sources.Native;

/// <summary>A file's identity on this machine: device (major &lt;&lt; 32 | minor) and inode.</summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <inheritdoc />
    public override string ToString() => $"{Device:x}:{Inode}";
}
