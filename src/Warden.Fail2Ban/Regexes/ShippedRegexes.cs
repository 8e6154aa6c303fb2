using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Regexes;

/// <summary>
/// The regexes of Warden's shipped filters (every mode), compiled to C# at build time by the
/// regex source generator: Native AOT ignores RegexOptions.Compiled, so without these the
/// default configuration would run on the interpreter. A pattern is used only when the translated
/// text and options are identical to one listed here (a test keeps the list in step with the
/// shipped files); anything else, including a user's override, is interpreted as usual.
/// </summary>
internal static partial class ShippedRegexes
{
    private const RegexOptions Options = RegexOptions.CultureInvariant;
    private const int FirstBudgetMs = 20;

    private static readonly Dictionary<string, Func<Regex>> Table = new(StringComparer.Ordinal)
    {
        [@"(?:^|\s)\w+: [\w.]+\[1020\] \[(?!recidive\])(?<jail>[^\]\s]+)\] Ban \[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))(?:/(?<cidr>\d+))?\]? until"] = R0,
        [@"^(?:Connection (?:closed|reset) by|Disconnected from) (?:(?:invalid|authenticating) user (?<user>\S*) )?(?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+ \[preauth\]$"] = R1,
        [@"^(?:GET|POST|HEAD|PUT|OPTIONS) /(?:[^"" ?]*/)?(?:wp-login\.php|wp-admin|wp-content|wp-includes|xmlrpc\.php|wlwmanifest\.xml|phpmyadmin|phpMyAdmin|pma|myadmin|mysqladmin|sqladmin|adminer(?:-[\d.]+)?\.php|\.env(?:\.\w+)?|\.git/|\.svn/|\.hg/|\.DS_Store|\.aws/|\.ssh/|config\.json|cgi-bin|boaform|HNAP1|vendor/phpunit|phpunit|eval-stdin\.php|actuator|solr/|console/|manager/html|jmx-console|roundcube|webmail|owa/|autodiscover|ecp/|setup\.php|install\.php|shell\.php|cmd\.php|admin\.php|administrator|geoserver|cgi/|\.well-known/security\.txt\.bak|server-status|telescope|_ignition|druid|nacos|jenkins|hudson|remote/login|dana-na|global-protect|sslvpn|\+CSCOE\+|owncloud|nextcloud|zabbix|elfinder|filemanager|kcfinder|fckeditor|ckfinder)[^"" ]* HTTP/\d(?:\.\d)?"" 404\s"] = R2,
        [@"^(?:NOQUEUE|[0-9A-Za-z]+): reject: (?:RCPT|MAIL|VRFY|EXPN|ETRN|EHLO|HELO|DATA|CONNECT) from [\w.:-]+\[\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?\](?::\d+)?: [45]\d\d [45]\.\d+\.\d+ .*(?:Relay access denied|Recipient address rejected: (?:User unknown|undeliverable address)|Sender address rejected: (?:Domain not found|need fully-qualified address|not owned by user)|Client host rejected: cannot find your (?:reverse )?hostname|Helo command rejected: (?:Host not found|need fully-qualified hostname|Invalid name)|Service unavailable; Client host \S+ blocked using|Access denied)"] = R3,
        [@"^(?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) \S+ \S+ \[\] ""(?<content>.+)$"] = R4,
        [@"^(?:imap|pop3|managesieve|submission|lmtp)-login: (?:Disconnected|Aborted login)(?:: [^(]*)? \(no auth attempts(?: in \d+ secs?)?\): user=<>.*, rip=\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?(?:,|$)"] = R5,
        [@"^(?:imap|pop3|managesieve|submission|lmtp)-login: (?:Disconnected|Aborted login|Login aborted)(?:: [^(]*)? \(auth failed, \d+ attempts?(?: in \d+ secs?)?\)(?: \(\w+\))?: user=<(?<user>[^>]*)>.*, rip=\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?(?:,|$)"] = R6,
        [@"^Bad protocol version identification '.*' from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w))(?: port \d+)?$"] = R7,
        [@"^Did not receive identification string from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w))(?: port \d+)?$"] = R8,
        [@"^Disconnecting (?:invalid|authenticating) user (?<user>\S*) (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+: Change of username or service not allowed: \(.+\)(?: \[preauth\])?$"] = R9,
        [@"^Failed (?:password|keyboard-interactive/pam|none) for (?:invalid user )?(?<user>.*?) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+(?: ssh\d*)?(?: \[preauth\])?$"] = R10,
        [@"^Failed publickey for invalid user (?<user>.*?) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+(?: ssh\d*)?(?:: \S+ \S+)?$"] = R11,
        [@"^Invalid user (?<user>.*?) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w))(?: port \d+(?: ssh\d*)?(?: \[preauth\])?)?$"] = R12,
        [@"^Unable to negotiate with (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+: no matching [\w -]+ found\."] = R13,
        [@"^User (?<user>\S+) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) not allowed because (?:not listed in AllowUsers|listed in DenyUsers|not in any group|a group is listed in DenyGroups|none of user's groups are listed in AllowGroups)$"] = R14,
        [@"^[Aa]uthentication (?:failure|error|failed) for (?<user>.*?) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w))(?: via \S+)?$"] = R15,
        [@"^\s*(?:(?:\S+ )?dovecot(?:\[\d+\])?:\s+)?(?<content>.+?)\s*$"] = R16,
        [@"^\s*(?:(?:\S+ )?nginx(?:\[\d+\])?:\s+)?\[error\] \d+#\d+: \*\d+ (?<content>.+)$"] = R17,
        [@"^\s*(?:(?:\S+ )?postfix(?:-\w+)?/(?:\w+/)?\w+(?:\[\d+\])?:\s+)?(?<content>.+?)\s*$"] = R18,
        [@"^\s*(?:(?:\S+ )?sshd(?:-session)?(?:\[\d+\])?:\s+)?(?:error: |fatal: )?(?:PAM: )?(?<content>.+?)\s*$"] = R19,
        [@"^auth(?:-worker)?(?:\(\d+\))?: (?:conn .*?: auth-worker<\d+>: )?(?:pam|passwd|passwd-file|shadow|sql|ldap|bsdauth|checkpassword)\((?<user>[^,]*),\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?(?:,<[^>]*>)?\): (?:pam_authenticate\(\) failed: .*|unknown user|[Pp]assword mismatch.*)$"] = R20,
        [@"^banner exchange: Connection from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+: invalid format$"] = R21,
        [@"^improper command pipelining after \S+ from [\w.:-]+\[\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?\](?::\d+)?:"] = R22,
        [@"^lost connection after (?:AUTH|UNKNOWN|EHLO) from [\w.:-]+\[\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?\](?::\d+)?$"] = R23,
        [@"^maximum authentication attempts exceeded for (?:invalid user )?(?<user>.*?) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+(?: ssh\d*)?(?: \[preauth\])?$"] = R24,
        [@"^no user/password was provided for basic authentication, client: (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)), server: \S*, request: ""[^""]*""(?:, (?:upstream|host|referrer): ""[^""]*"")*$"] = R25,
        [@"^user ""(?<user>[^""]*)"":? (?:was not found in ""[^""]*""|password mismatch), client: (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)), server: \S*, request: ""[^""]*""(?:, (?:upstream|host|referrer): ""[^""]*"")*$"] = R26,
        [@"^warning: [\w.:-]+\[\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?\](?::\d+)?: SASL [\w-]+ authentication failed(?:: .*)?$"] = R27,
    };

    /// <summary>The patterns in the table, for the consistency test.</summary>
    internal static IEnumerable<string> Patterns => Table.Keys;

    /// <summary>The generated regex for this exact pattern and options, or null.</summary>
    public static Regex? Find(string pattern, RegexOptions options) =>
        options == Options && Table.TryGetValue(pattern, out var factory) ? factory() : null;

    [GeneratedRegex(@"(?:^|\s)\w+: [\w.]+\[1020\] \[(?!recidive\])(?<jail>[^\]\s]+)\] Ban \[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))(?:/(?<cidr>\d+))?\]? until", Options, FirstBudgetMs)]
    private static partial Regex R0();

    [GeneratedRegex(@"^(?:Connection (?:closed|reset) by|Disconnected from) (?:(?:invalid|authenticating) user (?<user>\S*) )?(?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+ \[preauth\]$", Options, FirstBudgetMs)]
    private static partial Regex R1();

    [GeneratedRegex(@"^(?:GET|POST|HEAD|PUT|OPTIONS) /(?:[^"" ?]*/)?(?:wp-login\.php|wp-admin|wp-content|wp-includes|xmlrpc\.php|wlwmanifest\.xml|phpmyadmin|phpMyAdmin|pma|myadmin|mysqladmin|sqladmin|adminer(?:-[\d.]+)?\.php|\.env(?:\.\w+)?|\.git/|\.svn/|\.hg/|\.DS_Store|\.aws/|\.ssh/|config\.json|cgi-bin|boaform|HNAP1|vendor/phpunit|phpunit|eval-stdin\.php|actuator|solr/|console/|manager/html|jmx-console|roundcube|webmail|owa/|autodiscover|ecp/|setup\.php|install\.php|shell\.php|cmd\.php|admin\.php|administrator|geoserver|cgi/|\.well-known/security\.txt\.bak|server-status|telescope|_ignition|druid|nacos|jenkins|hudson|remote/login|dana-na|global-protect|sslvpn|\+CSCOE\+|owncloud|nextcloud|zabbix|elfinder|filemanager|kcfinder|fckeditor|ckfinder)[^"" ]* HTTP/\d(?:\.\d)?"" 404\s", Options, FirstBudgetMs)]
    private static partial Regex R2();

    [GeneratedRegex(@"^(?:NOQUEUE|[0-9A-Za-z]+): reject: (?:RCPT|MAIL|VRFY|EXPN|ETRN|EHLO|HELO|DATA|CONNECT) from [\w.:-]+\[\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?\](?::\d+)?: [45]\d\d [45]\.\d+\.\d+ .*(?:Relay access denied|Recipient address rejected: (?:User unknown|undeliverable address)|Sender address rejected: (?:Domain not found|need fully-qualified address|not owned by user)|Client host rejected: cannot find your (?:reverse )?hostname|Helo command rejected: (?:Host not found|need fully-qualified hostname|Invalid name)|Service unavailable; Client host \S+ blocked using|Access denied)", Options, FirstBudgetMs)]
    private static partial Regex R3();

    [GeneratedRegex(@"^(?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) \S+ \S+ \[\] ""(?<content>.+)$", Options, FirstBudgetMs)]
    private static partial Regex R4();

    [GeneratedRegex(@"^(?:imap|pop3|managesieve|submission|lmtp)-login: (?:Disconnected|Aborted login)(?:: [^(]*)? \(no auth attempts(?: in \d+ secs?)?\): user=<>.*, rip=\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?(?:,|$)", Options, FirstBudgetMs)]
    private static partial Regex R5();

    [GeneratedRegex(@"^(?:imap|pop3|managesieve|submission|lmtp)-login: (?:Disconnected|Aborted login|Login aborted)(?:: [^(]*)? \(auth failed, \d+ attempts?(?: in \d+ secs?)?\)(?: \(\w+\))?: user=<(?<user>[^>]*)>.*, rip=\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?(?:,|$)", Options, FirstBudgetMs)]
    private static partial Regex R6();

    [GeneratedRegex(@"^Bad protocol version identification '.*' from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w))(?: port \d+)?$", Options, FirstBudgetMs)]
    private static partial Regex R7();

    [GeneratedRegex(@"^Did not receive identification string from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w))(?: port \d+)?$", Options, FirstBudgetMs)]
    private static partial Regex R8();

    [GeneratedRegex(@"^Disconnecting (?:invalid|authenticating) user (?<user>\S*) (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+: Change of username or service not allowed: \(.+\)(?: \[preauth\])?$", Options, FirstBudgetMs)]
    private static partial Regex R9();

    [GeneratedRegex(@"^Failed (?:password|keyboard-interactive/pam|none) for (?:invalid user )?(?<user>.*?) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+(?: ssh\d*)?(?: \[preauth\])?$", Options, FirstBudgetMs)]
    private static partial Regex R10();

    [GeneratedRegex(@"^Failed publickey for invalid user (?<user>.*?) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+(?: ssh\d*)?(?:: \S+ \S+)?$", Options, FirstBudgetMs)]
    private static partial Regex R11();

    [GeneratedRegex(@"^Invalid user (?<user>.*?) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w))(?: port \d+(?: ssh\d*)?(?: \[preauth\])?)?$", Options, FirstBudgetMs)]
    private static partial Regex R12();

    [GeneratedRegex(@"^Unable to negotiate with (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+: no matching [\w -]+ found\.", Options, FirstBudgetMs)]
    private static partial Regex R13();

    [GeneratedRegex(@"^User (?<user>\S+) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) not allowed because (?:not listed in AllowUsers|listed in DenyUsers|not in any group|a group is listed in DenyGroups|none of user's groups are listed in AllowGroups)$", Options, FirstBudgetMs)]
    private static partial Regex R14();

    [GeneratedRegex(@"^[Aa]uthentication (?:failure|error|failed) for (?<user>.*?) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w))(?: via \S+)?$", Options, FirstBudgetMs)]
    private static partial Regex R15();

    [GeneratedRegex(@"^\s*(?:(?:\S+ )?dovecot(?:\[\d+\])?:\s+)?(?<content>.+?)\s*$", Options, FirstBudgetMs)]
    private static partial Regex R16();

    [GeneratedRegex(@"^\s*(?:(?:\S+ )?nginx(?:\[\d+\])?:\s+)?\[error\] \d+#\d+: \*\d+ (?<content>.+)$", Options, FirstBudgetMs)]
    private static partial Regex R17();

    [GeneratedRegex(@"^\s*(?:(?:\S+ )?postfix(?:-\w+)?/(?:\w+/)?\w+(?:\[\d+\])?:\s+)?(?<content>.+?)\s*$", Options, FirstBudgetMs)]
    private static partial Regex R18();

    [GeneratedRegex(@"^\s*(?:(?:\S+ )?sshd(?:-session)?(?:\[\d+\])?:\s+)?(?:error: |fatal: )?(?:PAM: )?(?<content>.+?)\s*$", Options, FirstBudgetMs)]
    private static partial Regex R19();

    [GeneratedRegex(@"^auth(?:-worker)?(?:\(\d+\))?: (?:conn .*?: auth-worker<\d+>: )?(?:pam|passwd|passwd-file|shadow|sql|ldap|bsdauth|checkpassword)\((?<user>[^,]*),\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?(?:,<[^>]*>)?\): (?:pam_authenticate\(\) failed: .*|unknown user|[Pp]assword mismatch.*)$", Options, FirstBudgetMs)]
    private static partial Regex R20();

    [GeneratedRegex(@"^banner exchange: Connection from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+: invalid format$", Options, FirstBudgetMs)]
    private static partial Regex R21();

    [GeneratedRegex(@"^improper command pipelining after \S+ from [\w.:-]+\[\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?\](?::\d+)?:", Options, FirstBudgetMs)]
    private static partial Regex R22();

    [GeneratedRegex(@"^lost connection after (?:AUTH|UNKNOWN|EHLO) from [\w.:-]+\[\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?\](?::\d+)?$", Options, FirstBudgetMs)]
    private static partial Regex R23();

    [GeneratedRegex(@"^maximum authentication attempts exceeded for (?:invalid user )?(?<user>.*?) from (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)) port \d+(?: ssh\d*)?(?: \[preauth\])?$", Options, FirstBudgetMs)]
    private static partial Regex R24();

    [GeneratedRegex(@"^no user/password was provided for basic authentication, client: (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)), server: \S*, request: ""[^""]*""(?:, (?:upstream|host|referrer): ""[^""]*"")*$", Options, FirstBudgetMs)]
    private static partial Regex R25();

    [GeneratedRegex(@"^user ""(?<user>[^""]*)"":? (?:was not found in ""[^""]*""|password mismatch), client: (?:\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?|(?<dns>[\w\-.^_]*\w)), server: \S*, request: ""[^""]*""(?:, (?:upstream|host|referrer): ""[^""]*"")*$", Options, FirstBudgetMs)]
    private static partial Regex R26();

    [GeneratedRegex(@"^warning: [\w.:-]+\[\[?(?:(?:::f{4,6}:)?(?<ip4>(?:\d{1,3}\.){3}\d{1,3})|(?<ip6>(?:[0-9a-fA-F]{1,4}::?|::){1,7}(?:[0-9a-fA-F]{1,4}|:)))\]?\](?::\d+)?: SASL [\w-]+ authentication failed(?:: .*)?$", Options, FirstBudgetMs)]
    private static partial Regex R27();
}
