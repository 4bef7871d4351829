using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.SailPoint;

/// <summary>A SailPoint PAT is one engine token: the native API sees it, and a revoke anywhere kills it everywhere.</summary>
[Collection(SailPointServer.Name)]
public sealed class SailPointCrossDialectTests
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

    [Fact]
    public async Task A_PAT_expiring_at_the_end_of_time_rotates_natively_without_an_error()
    {
        var admin = await _factory.AdminAsync();
        await admin.CreatePatAsync(new { name = "end-of-time", scope = new[] { "sp:my-personal-access-tokens:manage" }, expirationDate = "9999-12-31T23:59:59.999Z" });
        using var list = await admin.GetAsync("/api/tokens?search=end-of-time");
        var nativeId = Assert.Single((await list.JsonAsync())!.AsArray())!["id"]!.GetValue<long>();

        using var rotate = await admin.PostAsync($"/api/tokens/{nativeId}/rotate", null);

        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        Assert.Equal("9999-12-31T23:59:59.999Z", (await rotate.JsonAsync())!["expires_at"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"/expirationDate","value":"9999-12-31T23:59:59.999Z"}]""")]
    [InlineData("""[{"op":"replace","path":"/expirationDate","value":"2099-01-01T00:00:00Z"}]""")]
    public async Task A_native_tokens_expiry_patched_through_SailPoint_keeps_the_native_maximum(string patch)
    {
        var admin = await _factory.AdminAsync();
        var native = await admin.CreateTokenAsync(new { name = $"native-{Guid.NewGuid():N}", scopes = new[] { "*" }, expires_at = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        var sailPointId = (await admin.ListPatsAsync()).Single(t => t!["name"]!.GetValue<string>() == native["name"]!.GetValue<string>())!["id"]!.GetValue<string>();

        using (var refused = await admin.PatchAsync(sailPointId, patch))
        {
            var body = await refused.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
            Assert.Contains("expirationDate must be no later than", body.ToJsonString(), StringComparison.Ordinal);
        }

        using var after = await admin.GetAsync($"/api/tokens/{native["id"]}");
        Assert.Equal(native["expires_at"]!.GetValue<string>(), (await after.JsonAsync())!["expires_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_SailPoint_access_token_cannot_change_a_full_access_token()
    {
        var admin = await _factory.AdminAsync();
        var full = await admin.CreatePatAsync(new { name = "full-target", expirationDate = "2097-06-01T00:00:00Z" });
        var manager = await admin.CreatePatAsync(new { name = "token-manager", scope = new[] { "sp:my-personal-access-tokens:manage" }, expirationDate = "2097-06-01T00:00:00Z" });
        var accessToken = (await _factory.CreateClient().ExchangeAsync(manager))["access_token"]!.GetValue<string>();
        var holder = _factory.CreateClient().WithBearer(accessToken);

        foreach (var patch in new[]
        {
            """[{"op":"replace","path":"/expirationDate","value":"2099-02-02T02:02:02.020Z"}]""",
            """[{"op":"replace","path":"/expirationDate","value":null},{"op":"replace","path":"/userAwareTokenNeverExpires","value":true}]""",
            """[{"op":"replace","path":"/name","value":"taken-over"}]""",
        })
        {
            using var refused = await holder.PatchAsync(full["id"]!.GetValue<string>(), patch);
            await refused.AssertErrorAsync(HttpStatusCode.Forbidden, "403 Forbidden");
        }

        var listed = (await admin.ListPatsAsync()).Single(t => t!["id"]!.GetValue<string>() == full["id"]!.GetValue<string>())!;
        Assert.Equal(("full-target", "2097-06-01T00:00:00.000Z"), (listed["name"]!.GetValue<string>(), listed["expirationDate"]!.GetValue<string>()));
    }
}
