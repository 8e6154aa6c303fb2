using Warden.TestKit;

namespace Warden.Actions.Command.Tests;

public sealed class ShellTemplateTests : IDisposable
{
    // Everything a shell could act on: substitution, quotes of both kinds, separators, globs, escapes, newlines.
    private const string Hostile = "x$(touch PWNED1)`touch PWNED2`'\"; touch PWNED3 #\\ * ? ${HOME} | & > PWNED4 \n touch PWNED5";

    private readonly TempDirectory _dir = new("warden-shell");

    [Theory]
    [InlineData("printf '%s\\n' <F-USER>")]
    [InlineData("printf '%s\\n' \"<F-USER>\"")]
    [InlineData("printf '%s\\n' \"before <F-USER> after\"")]
    [InlineData("printf '%s\\n' 'before <F-USER> after'")]
    [InlineData("printf '%s\\n' \"$(printf '%s' <F-USER>)\"")]
    [InlineData("printf '%s\\n' \"`printf '%s' <F-USER>`\"")]
    [InlineData("printf '%s\\n' pre<F-USER>post")]
    [InlineData("echo '<F-USER>' | cat")]
    public async Task Render_HostileValueInAnyQuoting_IsPrintedVerbatimAndRunsNothing(string template)
    {
        var (script, environment) = ShellTemplate.Render(template, tag => tag == "F-USER" ? Hostile : null);

        Assert.DoesNotContain("PWNED", script, StringComparison.Ordinal);
        var result = await Proc.RunAsync("/bin/sh", ["-c", $"cd '{_dir.Path}' && {script}"], env: environment);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(Hostile, result.StdOut, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Render_UnknownTagsAndShellRedirections_StayAsWritten()
    {
        var (script, environment) = ShellTemplate.Render("cat <<EOF <unknown> <ip>", tag => tag == "ip" ? "192.0.2.1" : null);

        Assert.Equal("cat <<EOF <unknown> \"${WARDEN_ip}\"", script);
        Assert.Equal("192.0.2.1", environment["WARDEN_ip"]);
    }

    public void Dispose() => _dir.Dispose();
}
