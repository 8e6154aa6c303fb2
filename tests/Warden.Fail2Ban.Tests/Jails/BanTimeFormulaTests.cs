using Warden.Fail2Ban.Jails;

namespace Warden.Fail2Ban.Tests.Jails;

public sealed class BanTimeFormulaTests
{
    [Theory]
    [InlineData("ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor", 600, 3, 1, 4800)]
    [InlineData("ban.Time * (1<<(ban.Count if ban.Count<20 else 20)) * banFactor", 600, 30, 1, 600 * 1048576)]
    [InlineData("ban.Time * math.exp(float(ban.Count+1)*banFactor)/math.exp(1*banFactor)", 600, 0, 1, 600)]
    [InlineData("min(ban.Time * 2 ** ban.Count, 86400)", 3600, 10, 1, 86400)]
    [InlineData("ban.Time + 60 * ban.Count // 2 % 7", 100, 5, 1, 103)]
    [InlineData("-ban.Time if not ban.Count and True else abs(-3)", 100, 0, 1, -100)]
    [InlineData("max(1, 2, 3) >= 3 or 0", 0, 0, 1, 1)]
    public void Evaluate_PythonStyleFormula_GivesPythonsValue(string text, double time, int count, double factor, double expected)
    {
        Assert.True(BanTimeFormula.TryParse(text, out var formula, out var error), error);

        Assert.Equal(expected, formula.Evaluate(time, count, factor), 6);
    }

    [Theory]
    [InlineData("__import__('os')")]
    [InlineData("ban.Time; id")]
    [InlineData("open('/etc/passwd')")]
    [InlineData("(ban.Time")]
    [InlineData("ban.Secret * 2")]
    public void TryParse_AnythingButArithmetic_IsRefused(string text)
    {
        Assert.False(BanTimeFormula.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }
}
