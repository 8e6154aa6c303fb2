using System.Globalization;
using Warden.Core.Policy;

namespace Warden.Fail2Ban.Jails;

/// <summary>Reads a jail's <c>bantime.*</c> options (fail2ban's server/jail.py setBanTimeExtra).</summary>
internal sealed class IncrementReader(JailReader jail)
{
    public BanTimeIncrement? Read()
    {
        if (!jail.Bool("bantime.increment", false))
        {
            return null;
        }

        var settings = new BanTimeIncrement { OverallJails = jail.Bool("bantime.overalljails", false) };
        if (jail.Get("bantime.factor") is { } factorText && factorText.Trim().Length > 0)
        {
            // fail2ban evaluates the factor as a Python expression ("2.0 / 2.885385").
            if (BanTimeFormula.TryParse(factorText, out var factor, out var error) && factor.IsConstant)
            {
                settings = settings with { Factor = factor.Evaluate(0, 0, 1) };
            }
            else
            {
                jail.Fail("bantime.factor", $"bantime.factor: {error ?? "must be a number"}");
            }
        }

        if (jail.Get("bantime.multipliers") is { } multipliersText && multipliersText.Trim().Length > 0)
        {
            var multipliers = new List<double>();
            foreach (var item in multipliersText.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (double.TryParse(item, NumberStyles.Float, CultureInfo.InvariantCulture, out var multiplier) && multiplier >= 0)
                {
                    multipliers.Add(multiplier);
                }
                else
                {
                    jail.Fail("bantime.multipliers", $"bantime.multipliers: '{item}' is not a number");
                }
            }

            settings = settings with { Multipliers = multipliers };
        }

        if (jail.Get("bantime.formula") is { } formulaText && formulaText.Trim().Length > 0)
        {
            if (BanTimeFormula.TryParse(formulaText, out var formula, out var error))
            {
                settings = settings with { Formula = formula };
            }
            else
            {
                jail.Fail("bantime.formula", $"bantime.formula: {error}");
            }
        }

        if (jail.Get("bantime.maxtime") is { } max && max.Trim().Length > 0)
        {
            settings = settings with { MaxTime = jail.Time("bantime.maxtime", "0") };
        }

        if (jail.Get("bantime.rndtime") is { } rnd && rnd.Trim().Length > 0)
        {
            settings = settings with { RandomTime = jail.Time("bantime.rndtime", "0") };
        }

        // Warden's name for fail2ban.conf's dbpurgeage, which bounds how long a ban count is remembered.
        if (jail.Get("bantime.memory") is { } memory && memory.Trim().Length > 0)
        {
            settings = settings with { Memory = jail.Time("bantime.memory", "1d") };
        }

        return settings;
    }
}
