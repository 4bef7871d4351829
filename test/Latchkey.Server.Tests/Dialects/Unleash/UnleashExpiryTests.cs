using System.Globalization;
using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>What Unleash 7.5.1 was recorded doing with a short-lived PAT, before and after it expires.</summary>
public sealed class UnleashExpiryTests : IClassFixture<AdjustableClockServerFactory>
{
    private readonly AdjustableClockServerFactory _factory;

    public UnleashExpiryTests(AdjustableClockServerFactory factory) => _factory = factory;

    [Fact]
    public async Task An_expired_PAT_is_refused_stays_listed_and_can_still_be_deleted_once()
    {
        var (user, _) = await _factory.NewUserAsync();
        var expiresAt = _factory.Clock.GetUtcNow().AddMinutes(5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", CultureInfo.InvariantCulture);
        var pat = await user.CreatePatAsync("short-lived", expiresAt);
        var withPat = _factory.CreateClient().WithRawAuthorization(pat["secret"]!.GetValue<string>());
        using (var before = await withPat.GetAsync(UnleashClient.TokensPath))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        _factory.Clock.Advance(TimeSpan.FromMinutes(10));

        using (var after = await withPat.GetAsync(UnleashClient.TokensPath))
        {
            await UnleashAssert.BodyAsync(after, HttpStatusCode.Unauthorized, UnleashRecorded.Unauthorized);
        }

        var listed = Assert.Single(await user.ListPatsAsync());
        Assert.Equal(expiresAt, listed!["expiresAt"]!.GetValue<string>());
        UnleashAssert.IsoInstant(listed["seenAt"]);

        using (var deleted = await user.DeleteAsync($"{UnleashClient.TokensPath}/{pat["id"]}"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        Assert.Empty(await user.ListPatsAsync());
        using var again = await user.DeleteAsync($"{UnleashClient.TokensPath}/{pat["id"]}");
        await UnleashAssert.BodyAsync(again, HttpStatusCode.NotFound, UnleashRecorded.PatNotFound);
    }

    [Fact]
    public async Task An_expired_PAT_no_longer_counts_against_the_limit_or_holds_its_description()
    {
        var (user, _) = await _factory.NewUserAsync();
        var soon = _factory.Clock.GetUtcNow().AddMinutes(5).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'.000Z'", CultureInfo.InvariantCulture);
        for (var i = 1; i <= 10; i++)
        {
            await user.CreatePatAsync($"pat-{i}", soon);
        }

        _factory.Clock.Advance(TimeSpan.FromMinutes(10));

        var renewed = await user.CreatePatAsync("pat-1");
        Assert.Equal("pat-1", renewed["description"]!.GetValue<string>());
        Assert.Equal(11, (await user.ListPatsAsync()).Count);
    }
}
