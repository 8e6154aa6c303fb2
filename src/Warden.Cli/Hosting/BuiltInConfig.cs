namespace Warden.Cli.Hosting;

/// <summary>The configuration used when there is no /etc/warden: protect sshd with sensible limits.</summary>
internal static class BuiltInConfig
{
    public const string Path = "<built-in>/jail.conf";

    public const string JailConf = """
        [DEFAULT]
        ignoreip = 127.0.0.1/8 ::1
        maxretry = 5
        findtime = 10m
        bantime  = 1h

        [sshd]
        enabled = true
        filter  = sshd
        port    = ssh
        logpath = /var/log/auth.log
        """;
}
