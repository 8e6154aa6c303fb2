namespace Warden.Linux;

/// <summary>File types as the S_IFMT bits of st_mode give them (inode(7)).</summary>
public enum FileKind
{
    /// <summary>A type this enum does not name.</summary>
    Unknown = 0,

    /// <summary>S_IFIFO.</summary>
    Fifo = 0x1000,

    /// <summary>S_IFCHR.</summary>
    CharacterDevice = 0x2000,

    /// <summary>S_IFDIR.</summary>
    Directory = 0x4000,

    /// <summary>S_IFBLK.</summary>
    BlockDevice = 0x6000,

    /// <summary>S_IFREG.</summary>
    Regular = 0x8000,

    /// <summary>S_IFSOCK.</summary>
    Socket = 0xC000,
}
