using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Sanctum;

/// <summary>A Talkover token is one engine token: the native API sees it, and a revoke on either side kills it.</summary>
[Collection(TalkoverServer.Name)]
public sealed class TalkoverCrossDialectTests
{
    private readonly LatchkeyServerFactory _factory;

    public TalkoverCrossDialectTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task A_talkover_token_shows_in_the_native_api_and_a_native_revoke_kills_it_on_the_next_request()
    {
        var admin = await _factory.AdminAsync();
        var created = await admin.CreateApiTokenAsync(new { name = "made by talkover", abilities = new[] { "*" } });
        var id = long.Parse(created["id"]!.GetValue<string>());
        var holder = _factory.CreateClient().WithBearer(created["token"]!.GetValue<string>());
        using (var works = await holder.GetAsync(TalkoverClient.Path))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        using var nativeList = await admin.GetAsync("/api/tokens");
        var native = Assert.Single((await nativeList.JsonAsync())!.AsArray(), t => t!["id"]!.GetValue<long>() == id)!;
        Assert.Equal("made by talkover", native["name"]!.GetValue<string>());
        Assert.Equal(["*"], native["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(native["token"]);

        using var revoke = await admin.DeleteAsync($"/api/tokens/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var after = await holder.GetAsync(TalkoverClient.Path);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("""{"message":"Unauthenticated."}""", await after.BodyAsync());
        Assert.DoesNotContain(await admin.ListApiTokensAsync(), t => t!["id"]!.GetValue<string>() == id.ToString());
    }

    [Fact]
    public async Task A_native_token_shows_in_the_talkover_list_and_a_talkover_revoke_kills_it_on_the_next_request()
    {
        var admin = await _factory.AdminAsync();
        var created = await admin.CreateTokenAsync(new { name = "made natively", scopes = new[] { "read_api" } });
        var id = created["id"]!.GetValue<long>();
        var holder = _factory.CreateClient().WithBearer(created["token"]!.GetValue<string>());
        using (var works = await holder.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        var listed = Assert.Single(await admin.ListApiTokensAsync(), t => t!["id"]!.GetValue<string>() == id.ToString())!;
        Assert.Equal("made natively", listed["name"]!.GetValue<string>());
        Assert.Equal(["read_api"], listed["abilities"]!.AsArray().Select(s => s!.GetValue<string>()));

        using var revoke = await admin.DeleteAsync($"{TalkoverClient.Path}/{id}");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);

        using var after = await holder.GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        using var nativeView = await admin.GetAsync($"/api/tokens/{id}");
        Assert.True((await nativeView.JsonAsync())!["revoked"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_talkover_token_also_works_without_its_id_prefix_as_any_latchkey_token_does()
    {
        var admin = await _factory.AdminAsync();
        var token = (await admin.CreateApiTokenAsync(new { name = "canonical" }))["token"]!.GetValue<string>();

        using var response = await _factory.CreateClient().WithBearer(token[(token.IndexOf('|') + 1)..]).GetAsync(TalkoverClient.Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_talkover_api_token_cannot_extend_or_rename_a_full_access_token()
    {
        var admin = await _factory.AdminAsync();
        var full = await admin.CreateTokenAsync(new { name = "full access", scopes = new[] { "*" }, expires_at = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        var talkover = await admin.CreateApiTokenAsync(new { name = "talkover api", abilities = new[] { "api" } });
        var holder = _factory.CreateClient().WithBearer(talkover["token"]!.GetValue<string>());

        var later = DateTime.UtcNow.AddDays(300).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var patch in new[] { """{"expires_at":null,"never_expires_acknowledged":true}""", $$"""{"expires_at":"{{later}}"}""", """{"name":"mine now"}""" })
        {
            using var refused = await holder.SendRawAsync(HttpMethod.Patch, $"/api/tokens/{full["id"]}", patch);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var after = await admin.GetAsync($"/api/tokens/{full["id"]}");
        var body = (await after.JsonAsync())!;
        Assert.Equal(("full access", full["expires_at"]!.GetValue<string>()), (body["name"]!.GetValue<string>(), body["expires_at"]!.GetValue<string>()));
    }
}
