using System.CommandLine;
using Warden.Cli.Commands;

var root = new RootCommand("Warden: bans attackers found in logs in the kernel firewall (fail2ban-compatible)")
{
    RunCommand.Create(),
    CheckCommand.Create(),
    TestCommand.Create(),
    ReplayCommand.Create(),
    DoctorCommand.Create(),
    VersionCommand.Create(),
    StatusCommand.Create(),
    BanCommand.Create(),
    UnbanCommand.Create(),
    ReloadCommand.Create(),
    ShowCommand.Create(),
    ImportCommand.Create(),
    CompareCommand.Create(),
    FleetCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
