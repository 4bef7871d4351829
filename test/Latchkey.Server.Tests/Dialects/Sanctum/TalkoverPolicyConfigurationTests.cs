using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Sanctum;

/// <summary>
/// An operator's rules for Talkover tokens, set in the dialect's policy section (Sanctum's <c>expiration</c>, a
/// cap, unique names), answered in Laravel's shapes.
/// </summary>
public sealed class TalkoverPolicyConfigurationTests : IClassFixture<TalkoverPolicyConfigurationTests.ConfiguredFactory>
{
    private readonly ConfiguredFactory _factory;

    public TalkoverPolicyConfigurationTests(ConfiguredFactory factory) => _factory = factory;

    [Fact]
    public async Task Configured_tokens_expire_after_the_dialects_default_lifetime()
    {
        var admin = await _factory.AdminAsync();
        var user = await _factory.NewUserAsync(admin, "expiry");

        var created = await user.CreateApiTokenAsync(new { name = "expiring" });

        using var native = await user.GetAsync($"/api/tokens/{created["id"]!.GetValue<string>()}");
        var expiresAt = DateTimeOffset.Parse((await native.JsonAsync())!["expires_at"]!.GetValue<string>());
        Assert.InRange(expiresAt, DateTimeOffset.UtcNow.AddDays(7).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(1));
    }

    [Fact]
    public async Task A_taken_name_is_laravels_unique_error_and_the_cap_is_a_403_message()
    {
        var admin = await _factory.AdminAsync();
        var user = await _factory.NewUserAsync(admin, "capped");
        await user.CreateApiTokenAsync(new { name = "one" });

        using var taken = await user.PostAsync(TalkoverClient.Path, TalkoverClient.Json("""{"name":"one"}"""));
        await user.CreateApiTokenAsync(new { name = "two" });
        using var capped = await user.PostAsync(TalkoverClient.Path, TalkoverClient.Json("""{"name":"three"}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.Equal("""{"message":"The name has already been taken.","errors":{"name":["The name has already been taken."]}}""", await taken.BodyAsync());
        Assert.Equal(HttpStatusCode.Forbidden, capped.StatusCode);
        Assert.Equal("""{"message":"Too many tokens (2) already exist for this user."}""", await capped.BodyAsync());
        Assert.Equal(["one", "two"], (await user.ListApiTokensAsync()).Select(t => t!["name"]!.GetValue<string>()));
    }

    public sealed class ConfiguredFactory : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Dialects:sanctum:Tokens:DefaultNeverExpires"] = "false",
            ["Latchkey:Dialects:sanctum:Tokens:DefaultLifetime"] = "7.00:00:00",
            ["Latchkey:Dialects:sanctum:Tokens:MaxTokensPerUser"] = "2",
            ["Latchkey:Dialects:sanctum:Tokens:UniqueNamesPerUser"] = "true",
        };
    }
}
