using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.SailPoint;

/// <summary>PATCH (JSON Patch replace) and DELETE of /personal-access-tokens/{id}.</summary>
[Collection(SailPointServer.Name)]
public sealed class SailPointPatchDeleteTests
{
    private readonly LatchkeyServerFactory _factory;

    public SailPointPatchDeleteTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Replacing_name_and_scope_answers_the_changed_token()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync("before-rename");
        var id = pat["id"]!.GetValue<string>();

        using var response = await admin.PatchAsync(id, """
            [{"op":"replace","path":"/name","value":"after-rename"},
             {"op":"replace","path":"/scope","value":["sp:my-personal-access-tokens:manage"]}]
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.JsonAsync())!;
        Assert.Equal(id, body["id"]!.GetValue<string>());
        Assert.Equal("after-rename", body["name"]!.GetValue<string>());
        Assert.Equal(["sp:my-personal-access-tokens:manage"], body["scope"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(body["secret"]);

        // The narrowed token may no longer call the native API.
        using var native = await _factory.CreateClient().WithBearer(pat["secret"]!.GetValue<string>()).GetAsync("/api/tokens");
        Assert.Equal(HttpStatusCode.Forbidden, native.StatusCode);
    }

    [Fact]
    public async Task ExpirationDate_can_be_set_and_cleared_to_never_only_with_the_acknowledgement()
    {
        var admin = await _factory.AdminAsync();
        var id = (await admin.CreatePatAsync(new { name = "expiry-patch", expirationDate = "2097-06-01T00:00:00Z" }))["id"]!.GetValue<string>();

        using (var later = await admin.PatchAsync(id, """[{"op":"replace","path":"/expirationDate","value":"2099-02-02T02:02:02.020Z"}]"""))
        {
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
            Assert.Equal("2099-02-02T02:02:02.020Z", (await later.JsonAsync())!["expirationDate"]!.GetValue<string>());
        }

        using (var unacknowledged = await admin.PatchAsync(id, """[{"op":"replace","path":"/expirationDate","value":null}]"""))
        {
            await unacknowledged.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
        }

        using (var past = await admin.PatchAsync(id, """[{"op":"replace","path":"/expirationDate","value":"2000-01-01T00:00:00Z"}]"""))
        {
            await past.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
        }

        using (var never = await admin.PatchAsync(id, """
            [{"op":"replace","path":"/expirationDate","value":null},{"op":"replace","path":"/userAwareTokenNeverExpires","value":true}]
            """))
        {
            Assert.Equal(HttpStatusCode.OK, never.StatusCode);
            var body = (await never.JsonAsync())!;
            Assert.Null(body["expirationDate"]);
            Assert.True(body["userAwareTokenNeverExpires"]!.GetValue<bool>());
        }

        // Withdrawing the acknowledgement from a token that never expires needs a date with it.
        using (var withdrawn = await admin.PatchAsync(id, """[{"op":"replace","path":"/userAwareTokenNeverExpires","value":false}]"""))
        {
            await withdrawn.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
        }

        var listed = (await admin.ListPatsAsync()).Single(t => t!["id"]!.GetValue<string>() == id)!;
        Assert.Null(listed["expirationDate"]);
        Assert.True(listed["userAwareTokenNeverExpires"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_patch_cannot_broaden_scopes_or_take_a_name_in_use()
    {
        var admin = await _factory.AdminAsync();
        await admin.CreateNeverExpiringPatAsync("taken-name");
        var id = (await admin.CreateNeverExpiringPatAsync("narrow-patch", "sp:scopes:default"))["id"]!.GetValue<string>();

        using (var broaden = await admin.PatchAsync(id, """[{"op":"replace","path":"/scope","value":["sp:scopes:all"]}]"""))
        {
            await broaden.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
        }

        using (var rename = await admin.PatchAsync(id, """[{"op":"replace","path":"/name","value":"taken-name"}]"""))
        {
            await rename.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1.409 Reference conflict");
        }

        var listed = (await admin.ListPatsAsync()).Single(t => t!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("narrow-patch", listed["name"]!.GetValue<string>());
        Assert.Equal(["sp:scopes:default"], listed["scope"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""[{"op":"add","path":"/name","value":"x"}]""", "400.1 Bad Request Content")]
    [InlineData("""[{"op":"remove","path":"/expirationDate"}]""", "400.1 Bad Request Content")]
    [InlineData("""[{"op":"replace","path":"/owner","value":"x"}]""", "400.1 Bad Request Content")]
    [InlineData("""[{"op":"replace","path":"/accessTokenValiditySeconds","value":60}]""", "400.1 Bad Request Content")]
    [InlineData("""[{"op":"replace","path":"/name"}]""", "400.1.0 Required data missing or empty")]
    [InlineData("""[{"op":"replace","path":"/name","value":null}]""", "400.1.0 Required data missing or empty")]
    [InlineData("""[{"op":"replace","path":"/name","value":7}]""", "400.0 Bad request syntax")]
    [InlineData("""[{"op":"replace","path":"/scope","value":"sp:scopes:all"}]""", "400.0 Bad request syntax")]
    [InlineData("""[{"op":"replace","path":"/scope","value":["idn:nope"]}]""", "400.1 Bad Request Content")]
    [InlineData("""[{"op":"replace","path":"/userAwareTokenNeverExpires","value":"true"}]""", "400.0 Bad request syntax")]
    [InlineData("""[{"op":"replace","path":"/expirationDate","value":"soon"}]""", "400.1 Bad Request Content")]
    [InlineData("""["replace"]""", "400.0 Bad request syntax")]
    [InlineData("""{"op":"replace","path":"/name","value":"x"}""", "400.0 Bad request syntax")]
    [InlineData("""[{"op":"replace",""", "400.0 Bad request syntax")]
    public async Task Bad_patches_are_a_400_and_change_nothing(string json, string detailCode)
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreatePatAsync(new { name = $"unchanged-{Guid.NewGuid():N}", expirationDate = "2097-01-01T00:00:00Z" });
        var id = pat["id"]!.GetValue<string>();

        using var response = await admin.PatchAsync(id, json);

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, detailCode);
        var listed = (await admin.ListPatsAsync()).Single(t => t!["id"]!.GetValue<string>() == id)!;
        Assert.Equal(pat["name"]!.GetValue<string>(), listed["name"]!.GetValue<string>());
        Assert.Equal("2097-01-01T00:00:00.000Z", listed["expirationDate"]!.GetValue<string>());
        Assert.Equal(["sp:scopes:all"], listed["scope"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task A_patch_sent_as_plain_JSON_is_an_unsupported_media_type()
    {
        var admin = await _factory.AdminAsync();
        var id = (await admin.CreateNeverExpiringPatAsync("plain-json"))["id"]!.GetValue<string>();

        using var response = await admin.PatchAsync(id, """[{"op":"replace","path":"/name","value":"x"}]""", "application/json");

        await response.AssertErrorAsync(HttpStatusCode.UnsupportedMediaType, "415 Unsupported Media Type");
    }

    [Fact]
    public async Task Unknown_ids_and_other_users_tokens_are_not_found_and_stay_untouched()
    {
        var admin = await _factory.AdminAsync();
        var adminPat = await admin.CreateNeverExpiringPatAsync("admins-secret-thing");
        var adminId = adminPat["id"]!.GetValue<string>();
        var (user, _) = await _factory.UserAsync("intruder");
        const string patch = """[{"op":"replace","path":"/name","value":"hijacked"}]""";

        foreach (var id in new[] { adminId, "00000000000000000000000000000000", "not-an-id", "1" })
        {
            using var patched = await user.PatchAsync(id, patch);
            await patched.AssertErrorAsync(HttpStatusCode.NotFound, "404 Not found");
            using var deleted = await user.DeleteAsync($"{SailPointApi.Tokens}/{id}");
            await deleted.AssertErrorAsync(HttpStatusCode.NotFound, "404 Not found");
        }

        var listed = (await admin.ListPatsAsync()).Single(t => t!["id"]!.GetValue<string>() == adminId)!;
        Assert.Equal("admins-secret-thing", listed["name"]!.GetValue<string>());
        using var stillWorks = await _factory.CreateClient().WithBearer(adminPat["secret"]!.GetValue<string>()).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    [Fact]
    public async Task An_administrator_may_patch_and_delete_a_users_token()
    {
        var admin = await _factory.AdminAsync();
        var (user, _) = await _factory.UserAsync("managed-by-admin");
        var id = (await user.CreateNeverExpiringPatAsync("users-token"))["id"]!.GetValue<string>();

        using (var patched = await admin.PatchAsync(id, """[{"op":"replace","path":"/name","value":"renamed-by-admin"}]"""))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        Assert.Equal("renamed-by-admin", (await user.ListPatsAsync()).Single()!["name"]!.GetValue<string>());
        using (var deleted = await admin.DeleteAsync($"{SailPointApi.Tokens}/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Empty(await user.ListPatsAsync());
    }

    [Fact]
    public async Task Delete_answers_204_once_kills_the_token_and_then_it_is_not_found()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync("short-lived");
        var id = pat["id"]!.GetValue<string>();

        using (var first = await admin.DeleteAsync($"{SailPointApi.Tokens}/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
            Assert.Empty(await first.Content.ReadAsByteArrayAsync());
        }

        using (var used = await _factory.CreateClient().WithBearer(pat["secret"]!.GetValue<string>()).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, used.StatusCode);
        }

        using var again = await admin.DeleteAsync($"{SailPointApi.Tokens}/{id}");
        await again.AssertErrorAsync(HttpStatusCode.NotFound, "404 Not found");
        using var patchDeleted = await admin.PatchAsync(id, """[{"op":"replace","path":"/name","value":"zombie"}]""");
        await patchDeleted.AssertErrorAsync(HttpStatusCode.NotFound, "404 Not found");
    }
}
