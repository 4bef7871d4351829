using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Sanctum;

/// <summary>Creating, using, listing and revoking tokens through the Talkover account API.</summary>
[Collection(TalkoverServer.Name)]
public sealed partial class TalkoverApiTokenTests
{
    private readonly LatchkeyServerFactory _factory;

    public TalkoverApiTokenTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Create_answers_201_with_exactly_the_seeds_fields_and_a_token_of_the_form_id_bar_secret()
    {
        var admin = await _factory.AdminAsync();
        using var response = await admin.PostAsync(TalkoverClient.Path, TalkoverClient.Json("""{"name":"CI Pipeline","abilities":["*"]}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        var body = (await response.JsonAsync())!.AsObject();
        Assert.Equal(["data"], body.Select(p => p.Key));
        var data = body["data"]!.AsObject();
        Assert.Equal(["id", "name", "abilities", "token", "created_at"], data.Select(p => p.Key));
        var id = data["id"]!.GetValue<string>();
        Assert.Matches("^[1-9][0-9]*$", id);
        Assert.Equal("CI Pipeline", data["name"]!.GetValue<string>());
        Assert.Equal(["*"], data["abilities"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.StartsWith(id + "|lk_", data["token"]!.GetValue<string>());
        var createdAt = data["created_at"]!.GetValue<string>();
        Assert.Matches(SeedInstant(), createdAt);
        Assert.InRange(DateTimeOffset.Parse(createdAt), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Abilities_left_out_mean_full_access_and_the_token_never_expires()
    {
        var admin = await _factory.AdminAsync();
        var created = await admin.CreateApiTokenAsync(new { name = "no abilities given" });
        Assert.Equal(["*"], created["abilities"]!.AsArray().Select(a => a!.GetValue<string>()));

        using var native = await admin.GetAsync($"/api/tokens/{created["id"]!.GetValue<string>()}");
        var token = (await native.JsonAsync())!;
        Assert.Null(token["expires_at"]);
        Assert.Equal(["*"], token["scopes"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task The_token_works_as_a_bearer_in_exactly_the_id_bar_secret_form_and_a_wrong_id_is_refused()
    {
        var admin = await _factory.AdminAsync();
        var created = await admin.CreateApiTokenAsync(new { name = "bearer" });
        var token = created["token"]!.GetValue<string>();
        var id = long.Parse(created["id"]!.GetValue<string>());

        var listed = await _factory.CreateClient().WithBearer(token).ListApiTokensAsync();
        Assert.Contains(listed, t => t!["id"]!.GetValue<string>() == id.ToString());

        var secret = token[(token.IndexOf('|') + 1)..];
        foreach (var wrong in new[] { $"{id + 1000}|{secret}", $"{id + 1}|{secret}" })
        {
            using var refused = await _factory.CreateClient().WithBearer(wrong).GetAsync(TalkoverClient.Path);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("""{"message":"Unauthenticated."}""", await refused.BodyAsync());
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer 1|lk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task No_token_or_a_bad_one_answers_401_unauthenticated_in_laravels_shape(string? authorization)
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, method == HttpMethod.Delete ? TalkoverClient.Path + "/1" : TalkoverClient.Path);
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await _factory.CreateClient().SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("""{"message":"Unauthenticated."}""", await response.BodyAsync());
        }
    }

    [Fact]
    public async Task A_token_without_the_full_access_ability_gets_403_invalid_ability_and_changes_nothing()
    {
        var admin = await _factory.AdminAsync();
        var narrow = await admin.CreateApiTokenAsync(new { name = "narrow", abilities = new[] { "read_api" } });
        Assert.Equal(["read_api"], narrow["abilities"]!.AsArray().Select(a => a!.GetValue<string>()));
        var nativeApi = await admin.CreateTokenAsync(new { name = "native api", scopes = new[] { "api" } });
        var before = await admin.ListApiTokensAsync();

        foreach (var token in new[] { narrow["token"]!.GetValue<string>(), nativeApi["token"]!.GetValue<string>() })
        {
            var client = _factory.CreateClient().WithBearer(token);
            using var list = await client.GetAsync(TalkoverClient.Path);
            using var create = await client.PostAsync(TalkoverClient.Path, TalkoverClient.Json("""{"name":"escalate"}"""));
            using var delete = await client.DeleteAsync($"{TalkoverClient.Path}/{before[0]!["id"]!.GetValue<string>()}");
            foreach (var response in new[] { list, create, delete })
            {
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                Assert.Equal("""{"message":"Invalid ability provided."}""", await response.BodyAsync());
            }
        }

        // Nothing was created or revoked (last use changes: the narrow tokens did authenticate).
        Assert.Equal(before.Select(t => t!["id"]!.GetValue<string>()), (await admin.ListApiTokensAsync()).Select(t => t!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_list_shows_the_users_active_personal_tokens_with_the_seeds_fields_and_no_secret()
    {
        var admin = await _factory.AdminAsync();
        var bob = await _factory.NewUserAsync(admin, "bob");
        var first = await bob.CreateApiTokenAsync(new { name = "first" });
        var second = await bob.CreateApiTokenAsync(new { name = "second", abilities = new[] { "read_api", "write_repository" } });
        var revoked = await bob.CreateApiTokenAsync(new { name = "revoked" });
        using (var revoke = await bob.DeleteAsync($"{TalkoverClient.Path}/{revoked["id"]!.GetValue<string>()}"))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        await admin.CreateApiTokenAsync(new { name = "the administrator's" });
        using (var used = await _factory.CreateClient().WithBearer(first["token"]!.GetValue<string>()).GetAsync(TalkoverClient.Path))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        var listed = await bob.ListApiTokensAsync();

        // Only bob's two live tokens, oldest first; not his session, not the revoked one, not the admin's.
        Assert.Equal(["first", "second"], listed.Select(t => t!["name"]!.GetValue<string>()));
        Assert.All(listed, t => Assert.Equal(["id", "name", "abilities", "last_used_at", "created_at"], t!.AsObject().Select(p => p.Key)));
        Assert.DoesNotContain(first["token"]!.GetValue<string>(), listed.ToJsonString());
        Assert.Equal(first["id"]!.GetValue<string>(), listed[0]!["id"]!.GetValue<string>());
        Assert.Equal(first["created_at"]!.GetValue<string>(), listed[0]!["created_at"]!.GetValue<string>());
        Assert.Matches(SeedInstant(), listed[0]!["last_used_at"]!.GetValue<string>());
        Assert.Null(listed[1]!["last_used_at"]);
        Assert.Equal(["read_api", "write_repository"], listed[1]!["abilities"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(second["id"]!.GetValue<string>(), listed[1]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_expired_token_is_not_listed()
    {
        var admin = await _factory.AdminAsync();
        var carol = await _factory.NewUserAsync(admin, "carol");
        var live = await carol.CreateApiTokenAsync(new { name = "live" });
        var carolId = (await (await carol.GetAsync("/api/user")).JsonAsync())!["id"]!.GetValue<long>();
        await ExpiredTokens.InsertAsync(_factory, carolId, "expired");

        var listed = await carol.ListApiTokensAsync();

        Assert.Equal([live["id"]!.GetValue<string>()], listed.Select(t => t!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Delete_revokes_the_token_at_once_and_answers_token_revoked()
    {
        var admin = await _factory.AdminAsync();
        var created = await admin.CreateApiTokenAsync(new { name = "to revoke" });
        var id = created["id"]!.GetValue<string>();
        var holder = _factory.CreateClient().WithBearer(created["token"]!.GetValue<string>());
        using (var before = await holder.GetAsync(TalkoverClient.Path))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var delete = await admin.DeleteAsync($"{TalkoverClient.Path}/{id}");

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal("""{"message":"Token revoked"}""", await delete.BodyAsync());
        using var after = await holder.GetAsync(TalkoverClient.Path);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.DoesNotContain(await admin.ListApiTokensAsync(), t => t!["id"]!.GetValue<string>() == id);

        // As in Sanctum, where the row is gone: a second delete finds nothing.
        using var again = await admin.DeleteAsync($"{TalkoverClient.Path}/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("""{"message":"Token not found."}""", await again.BodyAsync());
    }

    [Fact]
    public async Task A_token_can_delete_itself_and_is_refused_on_its_next_request()
    {
        var admin = await _factory.AdminAsync();
        var created = await admin.CreateApiTokenAsync(new { name = "self destruct" });
        var holder = _factory.CreateClient().WithBearer(created["token"]!.GetValue<string>());

        using var delete = await holder.DeleteAsync($"{TalkoverClient.Path}/{created["id"]!.GetValue<string>()}");
        using var after = await holder.GetAsync(TalkoverClient.Path);

        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Unknown_ids_and_other_users_ids_answer_the_same_404_and_revoke_nothing()
    {
        var admin = await _factory.AdminAsync();
        var dave = await _factory.NewUserAsync(admin, "dave");
        var daves = await dave.CreateApiTokenAsync(new { name = "dave's" });
        var admins = await admin.CreateApiTokenAsync(new { name = "admin's" });
        using var sessionSelf = await dave.GetAsync("/api/tokens/self");
        var daveSessionId = (await sessionSelf.JsonAsync())!["id"]!.GetValue<long>();

        var attempts = new (HttpClient Client, string Id)[]
        {
            (dave, "999999"),
            (dave, admins["id"]!.GetValue<string>()),
            (admin, daves["id"]!.GetValue<string>()), // an administrator manages only their own tokens here
            (dave, "abc"),
            (dave, "-1"),
            (dave, "99999999999999999999999"),
            (dave, daveSessionId.ToString()), // a session is not an API token
        };
        foreach (var (client, id) in attempts)
        {
            using var response = await client.DeleteAsync($"{TalkoverClient.Path}/{id}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("""{"message":"Token not found."}""", await response.BodyAsync());
        }

        foreach (var token in new[] { daves["token"]!.GetValue<string>(), admins["token"]!.GetValue<string>() })
        {
            using var stillWorks = await _factory.CreateClient().WithBearer(token).GetAsync(TalkoverClient.Path);
            Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        }

        using var sessionStillWorks = await dave.GetAsync(TalkoverClient.Path);
        Assert.Equal(HttpStatusCode.OK, sessionStillWorks.StatusCode);
    }

    [Fact]
    public async Task The_secret_is_never_logged()
    {
        var admin = await _factory.AdminAsync();
        var created = await admin.CreateApiTokenAsync(new { name = "quiet" });
        var token = created["token"]!.GetValue<string>();
        using (await _factory.CreateClient().WithBearer(token).GetAsync(TalkoverClient.Path))
        {
        }

        var secret = token[(token.IndexOf('|') + 1)..];
        Assert.DoesNotContain(secret, _factory.Logs.AllText);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")]
    private static partial Regex SeedInstant();
}
