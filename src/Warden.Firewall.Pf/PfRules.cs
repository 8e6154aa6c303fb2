using System.Text;
using Warden.Core.Jails;
using Warden.Core.Ports;

namespace Warden.Firewall.Pf;

/// <summary>
/// The anchor's filter rules in pf.conf(5) syntax: one <c>block ... quick</c> rule per jail
/// against its table. Tables are not declared in the ruleset, so reloading the rules never
/// resets a table's addresses; a rule referencing a table creates it empty when missing.
/// </summary>
internal static class PfRules
{
    /// <summary>A pf table name for a jail: pf allows 31 characters (PF_TABLE_NAME_SIZE).</summary>
    public static string TableName(string jail)
    {
        if (jail.Length is > 0 and <= 31 && jail.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            return jail;
        }

        return $"{new string([.. jail.Take(20).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')])}_{StableHash.Of(jail):x8}";
    }

    public static string Build(IEnumerable<FirewallJail> jails, BlockType blockType)
    {
        var text = new StringBuilder();
        var action = blockType == BlockType.Drop ? "block drop" : "block return";
        foreach (var jail in jails)
        {
            if (jail.Protocol == PortProtocol.Dccp)
            {
                throw new FirewallException("pf", $"jail {jail.Name}", $"jail {jail.Name}: protocol '{jail.Protocol.Name()}' is not one pf filters by port (tcp, udp, sctp or all)");
            }

            text.Append(action).Append(" in quick");
            if (jail.Ports.Count > 0 && !jail.Ports.Any(p => p.IsAll))
            {
                text.Append(jail.Protocol == PortProtocol.All ? " proto { tcp udp }" : $" proto {jail.Protocol.Name()}");
                text.Append(" from <").Append(TableName(jail.Name)).Append("> to any port { ");
                text.AppendJoin(", ", jail.Ports.Select(p => p.From == p.To ? $"{p.From}" : $"{p.From}:{p.To}"));
                text.Append(" }\n");
            }
            else
            {
                text.Append(" from <").Append(TableName(jail.Name)).Append("> to any\n");
            }
        }

        return text.ToString();
    }
}
