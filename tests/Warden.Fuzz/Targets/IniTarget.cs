using Warden.Fail2Ban;
using Warden.Fail2Ban.Ini;

namespace Warden.Fuzz.Targets;

/// <summary>fail2ban's INI dialect (IniFile.Parse); bad INI is a <see cref="ConfigException"/>.</summary>
internal static class IniTarget
{
    public static void Run(string text)
    {
        try
        {
            var file = IniFile.Parse("/fuzz/jail.conf", text);
            foreach (var section in file.Sections)
            {
                _ = section.Name;
            }
        }
        catch (ConfigException)
        {
        }
    }
}
