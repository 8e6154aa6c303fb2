using Warden.Fail2Ban;
using Warden.Fail2Ban.Actions;
using Warden.Fail2Ban.Config;
using Warden.TestKit;

namespace Warden.Actions.Command.Tests;

/// <summary>
/// A configuration directory with an action.d, read through Warden's fail2ban reader into the
/// spec the CLI gives <see cref="CommandFirewall"/> (the same conversion the CLI does).
/// </summary>
internal sealed class ActionDir : IDisposable
{
    private readonly TempDirectory _dir = new("warden-actions");

    public string Path => _dir.Path;

    public string File(string name) => _dir.File(name);

    public string Write(string name, string content) => _dir.Write(name, content);

    /// <summary>Copies an action and what it includes from Debian's /etc/fail2ban/action.d.</summary>
    public void CopyStock(params string[] names)
    {
        foreach (var name in names)
        {
            System.IO.File.Copy($"/etc/fail2ban/action.d/{name}", _dir.File($"action.d/{name}"), overwrite: true);
        }
    }

    public CommandActionSpec Spec(string action, string jail = "sshd", IReadOnlyDictionary<string, string>? jailOptions = null)
    {
        Directory.CreateDirectory(_dir.File("action.d"));
        var reference = ConfigReference.Parse(action);
        var definition = ActionReader.Read(new DirectoryConfigFiles(_dir.Path), reference, jail, jailOptions ?? new Dictionary<string, string>(), new ConfigPlace("test", 0));
        CommandSet For(string family) => new(
            definition.Command("actionstart", family),
            definition.Command("actionstop", family),
            definition.Command("actioncheck", family),
            definition.Command("actionban", family),
            definition.Command("actionunban", family),
            definition.Command("actionflush", family),
            definition.Command("actionrepair", family));
        return new CommandActionSpec(definition.Name, jail, For("inet4"), For("inet6"))
        {
            StartOnDemand = definition.StartOnDemand,
            NoRestored = definition.NoRestored,
            Timeout = TimeSpan.FromSeconds(20),
        };
    }

    public void Dispose() => _dir.Dispose();
}
