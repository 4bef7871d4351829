using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.SailPoint;

/// <summary>A SailPoint PAT is one engine token: the native API sees it, and a revoke anywhere kills it everywhere.</summary>
public sealed class SailPointCrossDialectTests : IClassFixture<LatchkeyServerFactory>
{
    private readonly LatchkeyServerFactory _factory;

    public SailPointCrossDialectTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task A_SailPoint_PAT_shows_in_the_native_API_with_the_same_name_scopes_and_expiry()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreatePatAsync(new { name = "seen-natively", scope = new[] { "sp:my-personal-access-tokens:manage" }, expirationDate = "2099-03-04T05:06:07.089Z" });

        using var list = await admin.GetAsync("/api/tokens?search=seen-natively");
        var native = Assert.Single((await list.JsonAsync())!.AsArray())!;
        Assert.Equal("seen-natively", native["name"]!.GetValue<string>());
        Assert.Equal(["sp:my-personal-access-tokens:manage"], native["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("2099-03-04T05:06:07.089Z", native["expires_at"]!.GetValue<string>());
        Assert.Equal(pat["created"]!.GetValue<string>(), native["created_at"]!.GetValue<string>());
        Assert.Null(native["token"]);
    }

    [Fact]
    public async Task Revoking_natively_kills_the_PAT_and_its_access_tokens_on_the_next_request()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync("revoked-natively");
        var accessToken = (await _factory.CreateClient().ExchangeAsync(pat))["access_token"]!.GetValue<string>();
        using (var alive = await _factory.CreateClient().WithBearer(accessToken).GetAsync(SailPointApi.Tokens + "?owner-id=me"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        using var list = await admin.GetAsync("/api/tokens?search=revoked-natively");
        var nativeId = Assert.Single((await list.JsonAsync())!.AsArray())!["id"]!.GetValue<long>();
        using (var revoke = await admin.DeleteAsync($"/api/tokens/{nativeId}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using (var dead = await _factory.CreateClient().WithBearer(accessToken).GetAsync(SailPointApi.Tokens + "?owner-id=me"))
        {
            await dead.AssertErrorAsync(HttpStatusCode.Unauthorized, "401 Unauthorized");
        }

        using (var deadPat = await _factory.CreateClient().WithBearer(pat["secret"]!.GetValue<string>()).GetAsync(SailPointApi.Tokens + "?owner-id=me"))
        {
            await deadPat.AssertErrorAsync(HttpStatusCode.Unauthorized, "401 Unauthorized");
        }

        Assert.DoesNotContain(await admin.ListPatsAsync(), t => t!["id"]!.GetValue<string>() == pat["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deleting_through_SailPoint_shows_as_revoked_in_the_native_API()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync("deleted-in-sailpoint");
        using (var deleted = await admin.DeleteAsync($"{SailPointApi.Tokens}/{pat["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var list = await admin.GetAsync("/api/tokens?search=deleted-in-sailpoint&revoked=true");
        var native = Assert.Single((await list.JsonAsync())!.AsArray())!;
        Assert.True(native["revoked"]!.GetValue<bool>());
        using var used = await _factory.CreateClient().WithBearer(pat["secret"]!.GetValue<string>()).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.Unauthorized, used.StatusCode);
    }

    [Fact]
    public async Task A_native_PAT_can_sign_in_through_oauth_token_with_its_SailPoint_id()
    {
        var admin = await _factory.AdminAsync();
        var native = await admin.CreateTokenAsync(new { name = "native-signs-in", scopes = new[] { "*" }, expires_at = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd") });
        var sailPointId = (await admin.ListPatsAsync()).Single(t => t!["name"]!.GetValue<string>() == "native-signs-in")!["id"]!.GetValue<string>();

        var exchanged = await _factory.CreateClient().ExchangeAsync(new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = sailPointId,
            ["secret"] = native["token"]!.GetValue<string>(),
        });

        Assert.Equal("sp:scopes:all", exchanged["scope"]!.GetValue<string>());
        Assert.InRange(exchanged["expires_in"]!.GetValue<long>(), 43190, 43200);
    }
}
