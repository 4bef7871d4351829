using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>The PAT limit and maximum lifetime are the unleash policy's, set through configuration, and the messages say the limit in force.</summary>
public sealed class UnleashLimitTests : IClassFixture<UnleashLimitFactory>
{
    private readonly UnleashLimitFactory _factory;

    public UnleashLimitTests(UnleashLimitFactory factory) => _factory = factory;

    [Fact]
    public async Task A_configured_limit_is_enforced_and_named_in_Unleash_s_message()
    {
        var (user, _) = await _factory.NewUserAsync();
        for (var i = 1; i <= 3; i++)
        {
            await user.CreatePatAsync($"pat-{i}");
        }

        using var refused = await user.PostPatAsync($$"""{"description":"pat-4","expiresAt":"{{UnleashClient.FutureExpiry}}"}""");

        await UnleashAssert.BodyAsync(
            refused,
            HttpStatusCode.Forbidden,
            """{"name":"OperationDeniedError","message":"Too many PATs (3) already exist for this user.","details":[{"message":"Too many PATs (3) already exist for this user."}]}""");
        Assert.Equal(3, (await user.ListPatsAsync()).Count);
    }

    [Fact]
    public async Task A_configured_maximum_lifetime_is_enforced_and_the_message_names_the_last_instant_allowed()
    {
        var (user, _) = await _factory.NewUserAsync();
        var before = DateTimeOffset.UtcNow;
        using var refused = await user.PostPatAsync($$"""{"description":"too-long-lived","expiresAt":"{{DateTime.UtcNow.Year + 5}}-01-01T00:00:00.000Z"}""");
        var after = DateTimeOffset.UtcNow;

        var latest = Regex.Match(await refused.Content.ReadAsStringAsync(), "no later than (?<at>[^\"]+?)\\.\"").Groups["at"].Value;
        await UnleashAssert.BodyAsync(
            refused,
            HttpStatusCode.BadRequest,
            $$"""{"name":"BadDataError","message":"Request validation failed: your request body or params contain invalid data: The expiry date should be no later than {{latest}}.","details":[{"message":"The expiry date should be no later than {{latest}}."}]}""");
        Assert.InRange(DateTimeOffset.Parse(latest, CultureInfo.InvariantCulture), before.AddDays(1100).AddMilliseconds(-1), after.AddDays(1100));
        Assert.Empty(await user.ListPatsAsync());
    }
}
