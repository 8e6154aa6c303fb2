using System.Globalization;
using Warden.Core.Policy;

namespace Warden.Fail2Ban.Jails;

/// <summary>
/// A <c>bantime.formula</c> (or <c>bantime.factor</c>): fail2ban evaluates it as Python
/// (server/jail.py, <c>eval(compile(formula))</c>); Warden reads the subset such formulas use and
/// never runs code: numbers, <c>ban.Time</c>, <c>ban.Count</c>, <c>banFactor</c>, <c>+ - * / // % **</c>,
/// <c>&lt;&lt; &gt;&gt;</c>, comparisons, <c>and or not</c>, <c>X if C else Y</c>, and
/// <c>math.exp/log/sqrt/pow/floor/ceil</c>, <c>float int abs min max round</c>. Immutable, thread-safe.
/// </summary>
public sealed class BanTimeFormula : IBanTimeFormula
{
    private readonly Func<Values, double> _evaluate;

    private BanTimeFormula(Func<Values, double> evaluate, bool isConstant)
    {
        _evaluate = evaluate;
        IsConstant = isConstant;
    }

    /// <summary>True when the expression uses none of <c>ban.Time</c>, <c>ban.Count</c>, <c>banFactor</c>.</summary>
    public bool IsConstant { get; }

    /// <summary>Parses a formula; false with the reason when it is not one Warden can evaluate.</summary>
    public static bool TryParse(string text, out BanTimeFormula formula, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        formula = new BanTimeFormula(_ => 0, true);
        try
        {
            var parser = new FormulaParser(text);
            var (evaluate, usesVariables) = parser.Parse();
            formula = new BanTimeFormula(evaluate, !usesVariables);
            error = null;
            return true;
        }
        catch (FormatException ex)
        {
            error = $"'{text.Trim()}': {ex.Message}";
            return false;
        }
    }

    /// <inheritdoc />
    public double Evaluate(double banTimeSeconds, int banCount, double banFactor) =>
        _evaluate(new Values(banTimeSeconds, banCount, banFactor));

    internal readonly record struct Values(double Time, int Count, double Factor);

    internal static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
