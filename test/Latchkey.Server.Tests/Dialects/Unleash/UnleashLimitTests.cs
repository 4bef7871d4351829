using System.Net;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>The PAT limit is the unleash policy's, set through configuration, and the message says the number in force.</summary>
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
}
