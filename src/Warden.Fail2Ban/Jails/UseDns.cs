namespace Warden.Fail2Ban.Jails;

/// <summary>fail2ban's jail option <c>usedns</c> (config/jail.conf): whether &lt;HOST&gt; may be a host name to resolve.</summary>
public enum UseDns
{
    /// <summary><c>yes</c>: host names are resolved.</summary>
    Yes,

    /// <summary><c>warn</c> (the default): resolved, with a warning.</summary>
    Warn,

    /// <summary><c>no</c>: &lt;HOST&gt; matches addresses only.</summary>
    No,

    /// <summary><c>raw</c>: the matched text is used as it is, not resolved.</summary>
    Raw,
}
