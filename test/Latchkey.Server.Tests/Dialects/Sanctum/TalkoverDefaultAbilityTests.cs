using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Sanctum;

/// <summary>
/// An operator's default abilities that include one only administrators may hold: a user who asks for no abilities is
/// refused in Laravel's words, as the <c>in</c> rule on <c>abilities</c> would refuse it, not in the engine's.
/// </summary>
public sealed class TalkoverDefaultAbilityTests : IClassFixture<TalkoverDefaultAbilityTests.ConfiguredFactory>
{
    private readonly ConfiguredFactory _factory;

    public TalkoverDefaultAbilityTests(ConfiguredFactory factory) => _factory = factory;

    [Fact]
    public async Task Default_abilities_a_user_may_not_hold_are_a_laravel_validation_error_on_abilities()
    {
        var admin = await _factory.AdminAsync();
        var user = await _factory.NewUserAsync(admin, "defaults");

        using var refused = await user.PostAsync(TalkoverClient.Path, TalkoverClient.Json("""{"name":"defaults"}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("""{"message":"The selected abilities is invalid.","errors":{"abilities":["The selected abilities is invalid."]}}""", await refused.BodyAsync());
        Assert.Empty(await user.ListApiTokensAsync());
        await admin.CreateApiTokenAsync(new { name = "an administrator may hold them" });
    }

    public sealed class ConfiguredFactory : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Dialects:sanctum:Tokens:DefaultScopes:0"] = "sudo",
        };
    }
}
