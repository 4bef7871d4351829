using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>An Unleash PAT is one engine token: the native API sees it, and a revoke anywhere ends it everywhere.</summary>
[Collection(UnleashServer.Name)]
public sealed class UnleashCrossDialectTests
{
    private readonly LatchkeyServerFactory _factory;

    public UnleashCrossDialectTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task A_PAT_made_through_Unleash_shows_in_the_native_API_with_the_same_id_name_and_expiry()
    {
        var (user, userId) = await _factory.NewUserAsync();
        var pat = await user.CreatePatAsync("seen-natively", "2030-06-30T12:00:00.000Z");

        using var response = await user.GetAsync($"/api/tokens/{pat["id"]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var native = (await response.JsonAsync())!;
        Assert.Equal("seen-natively", native["name"]!.GetValue<string>());
        Assert.Equal("2030-06-30T12:00:00.000Z", native["expires_at"]!.GetValue<string>());
        Assert.Equal(userId, native["user_id"]!.GetValue<long>());
        Assert.Equal(["*"], native["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(native["token"]);
    }

    [Fact]
    public async Task Revoking_an_Unleash_PAT_natively_ends_it_on_the_next_Unleash_request()
    {
        var (user, _) = await _factory.NewUserAsync();
        var pat = await user.CreatePatAsync("revoked-natively");
        var withPat = _factory.CreateClient().WithRawAuthorization(pat["secret"]!.GetValue<string>());
        Assert.Single(await withPat.ListPatsAsync());

        using (var revoke = await user.DeleteAsync($"/api/tokens/{pat["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var dead = await withPat.GetAsync(UnleashClient.TokensPath);
        await UnleashAssert.BodyAsync(dead, HttpStatusCode.Unauthorized, UnleashRecorded.Unauthorized);
        Assert.Empty(await user.ListPatsAsync());
    }

    [Fact]
    public async Task Deleting_a_native_token_through_Unleash_ends_it_on_the_next_native_request()
    {
        var (user, _) = await _factory.NewUserAsync();
        var native = await user.CreateTokenAsync(new { name = "made-natively", scopes = new[] { "api" } });
        var withNative = _factory.CreateClient().WithBearer(native["token"]!.GetValue<string>());
        using (var alive = await withNative.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        var listed = Assert.Single(await user.ListPatsAsync());
        Assert.Equal("made-natively", listed!["description"]!.GetValue<string>());

        using (var deleted = await user.DeleteAsync($"{UnleashClient.TokensPath}/{native["id"]}"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }

        using var dead = await withNative.GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, dead.StatusCode);
        using var revoked = await user.GetAsync($"/api/tokens/{native["id"]}");
        Assert.True((await revoked.JsonAsync())!["revoked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Tokens_from_any_API_count_towards_the_same_limit()
    {
        var (user, _) = await _factory.NewUserAsync();
        for (var i = 1; i <= 10; i++)
        {
            await user.CreateTokenAsync(new { name = $"native-{i}", scopes = new[] { "read_api" } });
        }

        using var refused = await user.PostPatAsync($$"""{"description":"one-too-many","expiresAt":"{{UnleashClient.FutureExpiry}}"}""");
        await UnleashAssert.BodyAsync(refused, HttpStatusCode.Forbidden, UnleashRecorded.TooManyPats);
    }

    [Fact]
    public async Task A_description_taken_by_a_native_token_is_taken_for_Unleash_too()
    {
        var (user, _) = await _factory.NewUserAsync();
        await user.CreateTokenAsync(new { name = "deploy", scopes = new[] { "api" } });

        using var response = await user.PostPatAsync($$"""{"description":"deploy","expiresAt":"{{UnleashClient.FutureExpiry}}"}""");

        await UnleashAssert.BodyAsync(response, HttpStatusCode.Conflict, UnleashRecorded.DuplicateDescription);
    }
}
