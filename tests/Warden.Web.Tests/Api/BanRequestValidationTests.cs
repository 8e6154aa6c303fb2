using Microsoft.AspNetCore.Http;
using Warden.TestKit;
using Warden.Web.Api;

namespace Warden.Web.Tests.Api;

/// <summary>
/// POST /api/bans (the admin socket's and the dashboard's handler) on a real engine: numbers out
/// of range are 400 with a reason, never a 500 with an empty body, and a network wider than /8
/// or /32 needs force.
/// </summary>
public sealed class BanRequestValidationTests
{
    private const string JailName = "api-validation";

    [Theory]
    [InlineData(1e15)]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public async Task Ban_DurationOutOfRange_Is400WithTheRange(double seconds)
    {
        await using var engines = new EngineHarness(TimeProvider.System, new InMemoryFirewall(), new InMemoryStateStore());
        var engine = await engines.StartAsync(EngineHarness.Jail(JailName, 22, new FakeLineFilter(TimeProvider.System)), new QueueLogSource("test:api-validation"));
        var result = await ApiEndpoints.BanAsync(engine, new BanRequest(JailName, "192.0.2.7", seconds), "test", CancellationToken.None);

        Assert.Equal(StatusCodes.Status400BadRequest, Status(result));
        Assert.Contains("100 years", Reason(result), StringComparison.Ordinal);
        Assert.Empty(await engine.ListBansAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("128.0.0.0/1")]
    [InlineData("10.0.0.0/7")]
    [InlineData("8000::/1")]
    [InlineData("2001:db8::/31")]
    public async Task Ban_WiderThanLimitWithoutForce_Is400(string target)
    {
        await using var engines = new EngineHarness(TimeProvider.System, new InMemoryFirewall(), new InMemoryStateStore());
        var engine = await engines.StartAsync(EngineHarness.Jail(JailName, 22, new FakeLineFilter(TimeProvider.System)), new QueueLogSource("test:api-validation"));
        var result = await ApiEndpoints.BanAsync(engine, new BanRequest(JailName, target, null), "test", CancellationToken.None);

        Assert.Equal(StatusCodes.Status400BadRequest, Status(result));
        Assert.Contains("--force", Reason(result), StringComparison.Ordinal);
        Assert.Empty(await engine.ListBansAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("10.0.0.0/8", false)]
    [InlineData("2001:db8::/32", false)]
    [InlineData("10.0.0.0/7", true)]
    public async Task Ban_AtTheLimitOrForced_IsCreated(string target, bool force)
    {
        await using var engines = new EngineHarness(TimeProvider.System, new InMemoryFirewall(), new InMemoryStateStore());
        var engine = await engines.StartAsync(EngineHarness.Jail(JailName, 22, new FakeLineFilter(TimeProvider.System)), new QueueLogSource("test:api-validation"));
        var result = await ApiEndpoints.BanAsync(engine, new BanRequest(JailName, target, 3600, force), "test", CancellationToken.None);

        Assert.Equal(StatusCodes.Status201Created, Status(result));
        Assert.Single(await engine.ListBansAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Ban_NegativeDuration_IsPermanent()
    {
        await using var engines = new EngineHarness(TimeProvider.System, new InMemoryFirewall(), new InMemoryStateStore());
        var engine = await engines.StartAsync(EngineHarness.Jail(JailName, 22, new FakeLineFilter(TimeProvider.System)), new QueueLogSource("test:api-validation"));
        var result = await ApiEndpoints.BanAsync(engine, new BanRequest(JailName, "192.0.2.8", -1), "test", CancellationToken.None);

        Assert.Equal(StatusCodes.Status201Created, Status(result));
        Assert.Null(Assert.Single(await engine.ListBansAsync(CancellationToken.None)).Expires);
    }

    private static int? Status(IResult result) => ((IStatusCodeHttpResult)result).StatusCode;

    private static string Reason(IResult result) => ((ApiError)((IValueHttpResult)result).Value!).Error;
}
