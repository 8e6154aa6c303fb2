using System.Globalization;
using System.Text.RegularExpressions;

namespace Warden.Fail2Ban.Dates;

/// <summary>
/// Fixed-offset time zones as fail2ban reads them (server/strptime.py <c>validateTimeZone</c>,
/// <c>zone2offset</c>, <c>TZ_STR</c>): an optional abbreviation from fail2ban's table followed by an
/// optional <c>[+-]hh[[:]mm]</c>, e.g. <c>UTC</c>, <c>CET</c>, <c>UTC+0200</c>, <c>-04:00</c>.
/// Abbreviations are fixed offsets, without daylight-saving switches, as in fail2ban.
/// </summary>
internal static partial class TimeZoneOffsets
{
    private const string Table = """
        -12 Y
        -11 X NUT SST
        -10 W CKT HAST HST TAHT TKT
        -9 V AKST GAMT GIT HADT HNY
        -8 U AKDT CIST HAY HNP PST PT
        -7 T HAP HNR MST PDT
        -6 S CST EAST GALT HAR HNC MDT
        -5 R CDT COT EASST ECT EST ET HAC HNE PET
        -4 Q AST BOT CLT COST EDT FKT GYT HAE HNA PYT
        -3 P ADT ART BRT CLST FKST GFT HAA PMST PYST SRT UYT WGT
        -2 O BRST FNT PMDT UYST WGST
        -1 N AZOT CVT EGT
        0 Z EGST GMT UTC WET WT
        1 A CET DFT WAT WEDT WEST
        2 B CAT CEDT CEST EET SAST WAST
        3 C EAT EEDT EEST IDT MSK
        4 D AMT AZT GET GST KUYT MSD MUT RET SAMT SCT
        5 E AMST AQTT AZST HMT MAWT MVT PKT TFT TJT TMT UZT YEKT
        6 F ALMT BIOT BTT IOT KGT NOVT OMST YEKST
        7 G CXT DAVT HOVT ICT KRAT NOVST OMSST THA WIB
        8 H ACT AWST BDT BNT CAST HKT IRKT KRAST MYT PHT SGT ULAT WITA WST
        9 I AWDT IRKST JST KST PWT TLT WDT WIT YAKT
        10 K AEST ChST PGT VLAT YAKST YAPT
        11 L AEDT LHDT MAGT NCT PONT SBT VLAST VUT
        12 M ANAST ANAT FJT GILT MAGST MHT NZST PETST PETT TVT WFT
        13 FJST NZDT
        11.5 NFT
        10.5 ACDT LHST
        9.5 ACST
        6.5 CCT MMT
        5.75 NPT
        5.5 SLT
        4.5 AFT IRDT
        3.5 IRST
        -2.5 HAT NDT
        -3.5 HNT NST NT
        -4.5 HLV VET
        -9.5 MART MIT
        """;

    private static readonly Dictionary<string, int> Abbreviations = BuildTable();

    /// <summary>The offset in minutes east of UTC, or <c>null</c> when the text is not a zone fail2ban knows.</summary>
    public static int? TryParse(string zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var match = FixedOffset().Match(zone);
        if (!match.Success)
        {
            return null;
        }

        var abbreviation = match.Groups[1].Value;
        if (!Abbreviations.TryGetValue(abbreviation, out var minutes))
        {
            return null;
        }

        var offset = match.Groups[2].Value;
        if (offset.Length == 0)
        {
            return minutes;
        }

        var sign = offset[0] == '-' ? -1 : 1;
        var hours = int.Parse(offset.AsSpan(1, 2), CultureInfo.InvariantCulture);
        if (offset.Length <= 3)
        {
            // zone2offset: "[+-]hh" is int(tzo) * 60.
            return minutes + (sign * hours * 60);
        }

        var minuteText = offset[3] == ':' ? offset.AsSpan(4, 2) : offset.AsSpan(3, 2);
        return minutes + (sign * ((hours * 60) + int.Parse(minuteText, CultureInfo.InvariantCulture)));
    }

    private static Dictionary<string, int> BuildTable()
    {
        var table = new Dictionary<string, int>(StringComparer.Ordinal) { [string.Empty] = 0 };
        foreach (var line in Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var minutes = (int)(double.Parse(parts[0], CultureInfo.InvariantCulture) * 60);
            foreach (var name in parts.AsSpan(1))
            {
                table[name] = minutes;
            }
        }

        return table;
    }

    // strptime.py FIXED_OFFSET_TZ_RE, matched at the start and anchored at the end.
    [GeneratedRegex(@"^([A-Z](?:[A-Z]{2,4})?)?([+-][01]\d(?::?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FixedOffset();
}
