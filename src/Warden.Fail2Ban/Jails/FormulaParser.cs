using System.Globalization;

namespace Warden.Fail2Ban.Jails;

/// <summary>Recursive-descent parser of the Python expression subset <see cref="BanTimeFormula"/> accepts (Python's precedence).</summary>
internal sealed class FormulaParser(string text)
{
    private readonly List<string> _tokens = Tokenize(text);
    private int _next;
    private bool _usesVariables;

    public (Func<BanTimeFormula.Values, double> Evaluate, bool UsesVariables) Parse()
    {
        var expression = Conditional();
        if (_next < _tokens.Count)
        {
            throw new FormatException($"unexpected '{_tokens[_next]}'");
        }

        return (expression, _usesVariables);
    }

    private Func<BanTimeFormula.Values, double> Conditional()
    {
        var value = Or();
        if (!Accept("if"))
        {
            return value;
        }

        var condition = Or();
        Expect("else");
        var otherwise = Conditional();
        return v => condition(v) != 0 ? value(v) : otherwise(v);
    }

    private Func<BanTimeFormula.Values, double> Or()
    {
        var left = And();
        while (Accept("or"))
        {
            var l = left;
            var right = And();
            left = v => l(v) is var a && a != 0 ? a : right(v);
        }

        return left;
    }

    private Func<BanTimeFormula.Values, double> And()
    {
        var left = Not();
        while (Accept("and"))
        {
            var l = left;
            var right = Not();
            left = v => l(v) is var a && a == 0 ? a : right(v);
        }

        return left;
    }

    private Func<BanTimeFormula.Values, double> Not()
    {
        if (Accept("not"))
        {
            var operand = Not();
            return v => operand(v) == 0 ? 1 : 0;
        }

        return Comparison();
    }

    private Func<BanTimeFormula.Values, double> Comparison()
    {
        var left = Binary(Shift, ["<", ">", "<=", ">=", "==", "!="]);
        return left;
    }

    private Func<BanTimeFormula.Values, double> Shift() => Binary(Arith, ["<<", ">>"]);

    private Func<BanTimeFormula.Values, double> Arith() => Binary(Term, ["+", "-"]);

    private Func<BanTimeFormula.Values, double> Term() => Binary(Unary, ["*", "/", "//", "%"]);

    private Func<BanTimeFormula.Values, double> Binary(Func<Func<BanTimeFormula.Values, double>> operand, string[] operators)
    {
        var left = operand();
        while (_next < _tokens.Count && operators.Contains(_tokens[_next]))
        {
            var op = _tokens[_next++];
            var l = left;
            var r = operand();
            left = op switch
            {
                "<" => v => l(v) < r(v) ? 1 : 0,
                ">" => v => l(v) > r(v) ? 1 : 0,
                "<=" => v => l(v) <= r(v) ? 1 : 0,
                ">=" => v => l(v) >= r(v) ? 1 : 0,
                "==" => v => l(v) == r(v) ? 1 : 0,
                "!=" => v => l(v) != r(v) ? 1 : 0,
                "<<" => v => (long)l(v) << (int)Math.Clamp(r(v), 0, 62),
                ">>" => v => (long)l(v) >> (int)Math.Clamp(r(v), 0, 62),
                "+" => v => l(v) + r(v),
                "-" => v => l(v) - r(v),
                "*" => v => l(v) * r(v),
                "/" => v => l(v) / r(v),
                "//" => v => Math.Floor(l(v) / r(v)),
                _ => v => l(v) - (r(v) * Math.Floor(l(v) / r(v))),
            };
        }

        return left;
    }

    private Func<BanTimeFormula.Values, double> Unary()
    {
        if (Accept("-"))
        {
            var operand = Unary();
            return v => -operand(v);
        }

        return Accept("+") ? Unary() : Power();
    }

    private Func<BanTimeFormula.Values, double> Power()
    {
        var atom = Atom();
        if (!Accept("**"))
        {
            return atom;
        }

        var exponent = Unary();
        return v => Math.Pow(atom(v), exponent(v));
    }

    private Func<BanTimeFormula.Values, double> Atom()
    {
        if (_next >= _tokens.Count)
        {
            throw new FormatException("the expression ends too early");
        }

        var token = _tokens[_next++];
        if (token == "(")
        {
            var inner = Conditional();
            Expect(")");
            return inner;
        }

        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return _ => number;
        }

        if (_next < _tokens.Count && _tokens[_next] == "(")
        {
            _next++;
            var arguments = new List<Func<BanTimeFormula.Values, double>>();
            while (!Accept(")"))
            {
                if (arguments.Count > 0)
                {
                    Expect(",");
                }

                arguments.Add(Conditional());
            }

            return Call(token, arguments);
        }

        switch (token)
        {
            case "ban.Time":
                _usesVariables = true;
                return v => v.Time;
            case "ban.Count":
                _usesVariables = true;
                return v => v.Count;
            case "banFactor":
                _usesVariables = true;
                return v => v.Factor;
            case "True":
                return _ => 1;
            case "False":
                return _ => 0;
            case "math.pi":
                return _ => Math.PI;
            case "math.e":
                return _ => Math.E;
            default:
                throw new FormatException($"unknown name '{token}' (known: ban.Time, ban.Count, banFactor, math.*)");
        }
    }

    private static Func<BanTimeFormula.Values, double> Call(string name, List<Func<BanTimeFormula.Values, double>> a)
    {
        Func<BanTimeFormula.Values, double>? call = (name, a.Count) switch
        {
            ("math.exp", 1) => v => Math.Exp(a[0](v)),
            ("math.log", 1) => v => Math.Log(a[0](v)),
            ("math.log", 2) => v => Math.Log(a[0](v), a[1](v)),
            ("math.sqrt", 1) => v => Math.Sqrt(a[0](v)),
            ("math.pow", 2) => v => Math.Pow(a[0](v), a[1](v)),
            ("math.floor", 1) => v => Math.Floor(a[0](v)),
            ("math.ceil", 1) => v => Math.Ceiling(a[0](v)),
            ("float", 1) => a[0],
            ("int", 1) => v => Math.Truncate(a[0](v)),
            ("abs", 1) => v => Math.Abs(a[0](v)),
            ("round", 1) => v => Math.Round(a[0](v), MidpointRounding.ToEven),
            ("min", >= 1) => v => a.Min(f => f(v)),
            ("max", >= 1) => v => a.Max(f => f(v)),
            _ => null,
        };
        return call ?? throw new FormatException($"unknown function {name} with {a.Count} argument(s)");
    }

    private bool Accept(string token)
    {
        if (_next < _tokens.Count && _tokens[_next] == token)
        {
            _next++;
            return true;
        }

        return false;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw new FormatException($"expected '{token}'" + (_next < _tokens.Count ? $", found '{_tokens[_next]}'" : " at the end"));
        }
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.' || text[i] is 'e' or 'E' || (text[i] is '+' or '-' && text[i - 1] is 'e' or 'E')))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
            else
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
                if (two is "**" or "//" or "<<" or ">>" or "<=" or ">=" or "==" or "!=")
                {
                    tokens.Add(two);
                    i += 2;
                }
                else if ("+-*/%<>(),".Contains(c))
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else
                {
                    throw new FormatException($"unexpected character '{c}'");
                }
            }
        }

        return tokens;
    }
}
