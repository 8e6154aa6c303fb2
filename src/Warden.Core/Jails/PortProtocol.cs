namespace Warden.Core.Jails;

/// <summary>
/// The protocol a jail's ports belong to (fail2ban's jail option <c>protocol</c>, config/jail.conf):
/// the firewall backends match the ports for it, or for every protocol with ports (<see cref="All"/>).
/// </summary>
public enum PortProtocol
{
    /// <summary><c>tcp</c>, fail2ban's default.</summary>
    Tcp,

    /// <summary><c>udp</c>.</summary>
    Udp,

    /// <summary><c>sctp</c>.</summary>
    Sctp,

    /// <summary><c>dccp</c>.</summary>
    Dccp,

    /// <summary><c>all</c>: the ports of every protocol that has ports.</summary>
    All,
}
