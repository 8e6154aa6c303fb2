namespace Warden.Core.Jails;

/// <summary>An inclusive destination port range; a single port has <c>From == To</c>.</summary>
public readonly record struct PortRange(int From, int To)
{
    /// <summary>Every port: what a jail without <c>port</c> bans.</summary>
    public static PortRange All { get; } = new(0, 65535);

    /// <summary>True for the full range 0-65535.</summary>
    public bool IsAll => From == 0 && To == 65535;

    /// <inheritdoc />
    public override string ToString() => From == To ? From.ToString() : $"{From}-{To}";
}
