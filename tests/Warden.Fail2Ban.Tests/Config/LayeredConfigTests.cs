using Warden.Fail2Ban.Config;
using Warden.TestKit;

namespace Warden.Fail2Ban.Tests.Config;

public sealed class LayeredConfigTests
{
    [Fact]
    public void Load_ConfDLocalAndIncludes_MergesInFail2BanOrder()
    {
        using var dir = new TempDirectory();
        dir.Write("filter.d/common.conf", "[DEFAULT]\nprefix = common\n[Definition]\nfrom_common = yes\n");
        dir.Write("filter.d/common.local", "[DEFAULT]\nprefix = common-local\n");
        dir.Write("filter.d/x.conf", "[INCLUDES]\nbefore = common.conf\nafter = x-after.conf\n[Definition]\nvalue = conf\nkeep = conf\n");
        dir.Write("filter.d/x-after.conf", "[Definition]\nafter = yes\n");
        dir.Write("filter.d/x.d/10.conf", "[Definition]\nvalue = d-conf\n");
        dir.Write("filter.d/x.local", "[Definition]\nvalue = local\n");
        dir.Write("filter.d/x.d/20.local", "[Definition]\nvalue = d-local\n");

        var config = LayeredConfig.Load(new DirectoryConfigFiles(dir.Path), "filter.d/x")!;

        Assert.Equal("d-local", config.Get("Definition", "value")!.Text);
        Assert.Equal("conf", config.Get("Definition", "keep")!.Text);
        Assert.Equal("yes", config.Get("Definition", "after")!.Text);
        Assert.Equal("common-local", config.Get("Definition", "prefix")!.Text);
        Assert.Equal(
            ["common.conf", "common.local", "x.conf", "x-after.conf", "10.conf", "x.local", "20.local"],
            config.Files.Select(Path.GetFileName));
    }

    [Fact]
    public void Get_Interpolation_ResolvesSectionKnownDefaultAndName()
    {
        var config = Parse(
            ("filter.d/y.conf", "[DEFAULT]\nd = dflt\n[lt_file]\np = file-%(d)s\n[Definition]\nbase = b\nref = %(lt_file/p)s\nname = %(__name__)s\npct = 100%%\nfailregex = one\n"),
            ("filter.d/y.local", "[Definition]\nfailregex = %(known/failregex)s two\n"));

        Assert.Equal("file-%(d)s", config.GetRaw("lt_file", "p")!.Text);
        Assert.Equal("file-dflt", config.Get("Definition", "ref")!.Text);
        Assert.Equal("Definition", config.Get("Definition", "name")!.Text);
        Assert.Equal("100%", config.Get("Definition", "pct")!.Text);
        Assert.Equal("one two", config.Get("Definition", "failregex")!.Text);
        Assert.Equal("file-dflt", config.Get("Definition", "lt_file/p")!.Text);
    }

    [Fact]
    public void Get_PassedVars_WinOverSectionValues()
    {
        var config = Parse(("filter.d/z.conf", "[Definition]\nmode = normal\nre = mode is %(mode)s\n"));

        var value = config.Get("Definition", "re", new Dictionary<string, string> { ["mode"] = "aggressive" })!;

        Assert.Equal("mode is aggressive", value.Text);
    }

    [Fact]
    public void Get_MissingReference_ThrowsWithFileAndLine()
    {
        var config = Parse(("filter.d/bad.conf", "[Definition]\n\nfailregex = %(nothere)s <HOST>\n"));

        var error = Assert.Throws<ConfigException>(() => config.Get("Definition", "failregex"));

        Assert.EndsWith("bad.conf", error.Error.File, StringComparison.Ordinal);
        Assert.Equal(3, error.Error.Line);
        Assert.Contains("nothere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_ReferenceLoop_ThrowsInsteadOfRecursingForever()
    {
        var config = Parse(("filter.d/loop.conf", "[Definition]\na = %(b)s\nb = %(a)s\n"));

        Assert.Throws<ConfigException>(() => config.Get("Definition", "a"));
    }

    [Fact]
    public void Load_DuplicateOptionInOneFile_ThrowsLikeConfigparserStrictMode()
    {
        using var dir = new TempDirectory();
        dir.Write("filter.d/dup.conf", "[Definition]\na = 1\na = 2\n");

        var error = Assert.Throws<ConfigException>(() => LayeredConfig.Load(new DirectoryConfigFiles(dir.Path), "filter.d/dup"));

        Assert.Equal(3, error.Error.Line);
    }

    [Fact]
    public void Load_IncludeLoop_EndsAndKeepsBothFiles()
    {
        var config = Parse(
            ("filter.d/a.conf", "[INCLUDES]\nbefore = b.conf\n[Definition]\nx = a\n"),
            ("filter.d/b.conf", "[INCLUDES]\nbefore = a.conf\n[Definition]\nx = b\ny = b\n"));

        Assert.Equal("a", config.Get("Definition", "x")!.Text);
        Assert.Equal("b", config.Get("Definition", "y")!.Text);
    }

    [Fact]
    public void Load_ContinuationLinesAndComments_FollowConfigparser()
    {
        var config = Parse(("filter.d/c.conf", "[Definition]\nfailregex = one ; inline comment\n    two\n# full-line comment inside the value\n    three\n\nignoreregex =\n"));

        Assert.Equal("one\ntwo\nthree", config.Get("Definition", "failregex")!.Text);
        Assert.Equal(string.Empty, config.Get("Definition", "ignoreregex")!.Text);
    }

    private static LayeredConfig Parse(params (string Path, string Text)[] files)
    {
        var dir = new TempDirectory();
        foreach (var (path, text) in files)
        {
            dir.Write(path, text);
        }

        var name = files[0].Path[..^".conf".Length];
        return LayeredConfig.Load(new DirectoryConfigFiles(dir.Path), name)!;
    }
}
