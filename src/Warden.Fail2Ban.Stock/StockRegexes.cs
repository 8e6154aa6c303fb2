using Warden.Fail2Ban.Regexes;

namespace Warden.Fail2Ban.Stock;

/// <summary>
/// The regexes of the fail2ban filters installed on the build machine, compiled to C# by the
/// regex source generator (the table is written at build time into obj/ by tools/Warden.RegexGen;
/// see the GenerateStockRegexes target). Native AOT has no runtime regex compiler, so this is what
/// makes a stock /etc/fail2ban filter run at compiled speed; the matching is the same either way.
/// </summary>
public static partial class StockRegexes
{
    /// <summary>Makes the table available to every filter loaded from now on.</summary>
    public static void Register() => PrecompiledRegexes.Register(Find);
}
