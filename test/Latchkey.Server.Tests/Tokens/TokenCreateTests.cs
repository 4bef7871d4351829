using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Latchkey.Server.Tests.Infrastructure;
using static Latchkey.Server.Tests.Infrastructure.Dates;

namespace Latchkey.Server.Tests.Tokens;

/// <summary><c>POST /api/tokens</c>: what a created token looks like, expiry rules, names, scopes and owners.</summary>
[Collection(NativeTokensServer.Name)]
public sealed class TokenCreateTests
{
    private readonly LatchkeyServerFactory _factory;

    public TokenCreateTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Create_answers_201_with_every_field_and_the_secret_this_once()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var response = await client.PostAsJsonAsync("/api/tokens", new { name = "deploy", description = "CI deploys", scopes = new[] { "read_api", "write_repository" }, expires_at = Date(10) });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore, "a response carrying a secret must not be cached");
        var body = (await response.JsonAsync())!.AsObject();
        Assert.Equal(
            ["active", "created_at", "description", "expires_at", "id", "last_used_at", "last_used_ips", "name", "revoked", "scopes", "token", "user_id"],
            body.Select(p => p.Key).Order());
        Assert.Equal(JsonValueKind.Number, body["id"]!.GetValueKind());
        var id = body["id"]!.GetValue<long>();
        Assert.True(id > 0);
        Assert.Equal($"/api/tokens/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("deploy", body["name"]!.GetValue<string>());
        Assert.Equal("CI deploys", body["description"]!.GetValue<string>());
        Assert.Equal(["read_api", "write_repository"], body["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.InRange(Instant(body["created_at"]), before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal($"{Date(10)}T00:00:00.000Z", body["expires_at"]!.GetValue<string>());
        Assert.Null(body["last_used_at"]);
        Assert.Empty(body["last_used_ips"]!.AsArray());
        Assert.False(body["revoked"]!.GetValue<bool>());
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Equal(user.Id, body["user_id"]!.GetValue<long>());
        var secret = body["token"]!.GetValue<string>();
        Assert.StartsWith("lk_", secret);

        // The secret works, and never shows again.
        using var get = await client.GetAsync($"/api/tokens/{id}");
        var shown = (await get.JsonAsync())!.AsObject();
        Assert.False(shown.ContainsKey("token"));
        Assert.DoesNotContain(secret, shown.ToJsonString());
        using var self = await _factory.CreateClient(secret).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
        Assert.DoesNotContain(secret, await self.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_tokens_never_share_a_secret_and_ids_increase()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var first = await admin.CreateTokenAsync(new { name = "one", scopes = new[] { "api" } });
        var second = await admin.CreateTokenAsync(new { name = "one", scopes = new[] { "api" } });
        Assert.NotEqual(first["token"]!.GetValue<string>(), second["token"]!.GetValue<string>());
        Assert.True(second["id"]!.GetValue<long>() > first["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_date_means_midnight_UTC_of_that_day()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "dated", scopes = new[] { "api" }, expires_at = Date(1) });
        Assert.Equal($"{Date(1)}T00:00:00.000Z", created["expires_at"]!.GetValue<string>());
        Assert.True(created["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_date_time_with_an_offset_is_stored_as_the_same_instant_in_UTC()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "offset", scopes = new[] { "api" }, expires_at = $"{Date(5)}T12:30:00+02:00" });
        Assert.Equal($"{Date(5)}T10:30:00.000Z", created["expires_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_date_time_without_an_offset_is_taken_as_UTC()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "local", scopes = new[] { "api" }, expires_at = $"{Date(5)}T08:15:00" });
        Assert.Equal($"{Date(5)}T08:15:00.000Z", created["expires_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_an_expiry_a_token_lives_30_days()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "default", scopes = new[] { "api" } });
        Assert.Equal(Instant(created["created_at"]).AddDays(30), Instant(created["expires_at"]));
    }

    [Fact]
    public async Task Never_expiring_needs_an_explicit_acknowledgement()
    {
        var admin = await _factory.CreateAdminClientAsync();
        using (var refused = await admin.SendRawAsync(HttpMethod.Post, "/api/tokens", """{"name":"forever","scopes":["api"],"expires_at":null}"""))
        {
            await ProblemAssert.ValidationAsync(refused, "expires_at");
        }

        using (var notTrue = await admin.SendRawAsync(HttpMethod.Post, "/api/tokens", """{"name":"forever","scopes":["api"],"expires_at":null,"never_expires_acknowledged":false}"""))
        {
            await ProblemAssert.ValidationAsync(notTrue, "expires_at");
        }

        using var accepted = await admin.SendRawAsync(HttpMethod.Post, "/api/tokens", """{"name":"forever","scopes":["api"],"expires_at":null,"never_expires_acknowledged":true}""");
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var body = (await accepted.JsonAsync())!.AsObject();
        Assert.True(body.ContainsKey("expires_at"));
        Assert.Null(body["expires_at"]);
        Assert.True(body["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Acknowledging_without_asking_for_never_still_gets_the_default_lifetime()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "ack only", scopes = new[] { "api" }, never_expires_acknowledged = true });
        Assert.Equal(Instant(created["created_at"]).AddDays(30), Instant(created["expires_at"]));
    }

    [Fact]
    public async Task The_longest_allowed_expiry_is_365_days_ahead()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "a year", scopes = new[] { "api" }, expires_at = Date(365) });
        Assert.Equal($"{Date(365)}T00:00:00.000Z", created["expires_at"]!.GetValue<string>());

        using var beyond = await admin.PostAsJsonAsync("/api/tokens", new { name = "a year and a day", scopes = new[] { "api" }, expires_at = Date(366) });
        var body = await ProblemAssert.ValidationAsync(beyond, "expires_at");
        Assert.Contains("maximum", body["errors"]!["expires_at"]![0]!.GetValue<string>());
    }

    public static TheoryData<string> RefusedExpiries => new()
    {
        Date(-1),
        Date(0), // dies at 00:00 UTC today, which has passed
        Date(366),
        "9999-12-31",
        "0001-01-01",
        "9999-12-31T23:59:59Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-05:00",
        "not-a-date",
        "2030-02-30",
        "2030-13-01",
        "20301201",
        "12/01/2030",
        "tomorrow",
        "",
        " ",
        $"{Date(1)}T25:00:00Z",
        SecondsFromNow(-60),
    };

    [Theory]
    [MemberData(nameof(RefusedExpiries))]
    public async Task Past_absurd_and_unreadable_expiries_are_refused_by_field_and_create_nothing(string expiresAt)
    {
        var admin = await _factory.CreateAdminClientAsync();
        var before = await CountAsync(admin);
        using var response = await admin.PostAsJsonAsync("/api/tokens", new { name = "refused", scopes = new[] { "api" }, expires_at = expiresAt });
        await ProblemAssert.ValidationAsync(response, "expires_at");
        Assert.Equal(before, await CountAsync(admin));
    }

    [Theory]
    [InlineData("""{"name":"t","scopes":["api"],"expires_at":true}""", "expires_at")]
    [InlineData("""{"name":"t","scopes":["api"],"expires_at":20301201}""", "expires_at")]
    [InlineData("""{"name":"t","scopes":["api"],"expires_at":{"date":"2030-01-01"}}""", "expires_at")]
    [InlineData("""{"name":"t","scopes":["api"],"expires_at":["2030-01-01"]}""", "expires_at")]
    [InlineData("""{"name":5,"scopes":["api"]}""", "name")]
    [InlineData("""{"name":true,"scopes":["api"]}""", "name")]
    [InlineData("""{"name":["x"],"scopes":["api"]}""", "name")]
    [InlineData("""{"scopes":["api"]}""", "name")]
    [InlineData("""{"name":null,"scopes":["api"]}""", "name")]
    [InlineData("""{"name":"","scopes":["api"]}""", "name")]
    [InlineData("""{"name":"   ","scopes":["api"]}""", "name")]
    [InlineData("""{"name":"tab\tin name","scopes":["api"]}""", "name")]
    [InlineData("""{"name":"t","scopes":"api"}""", "scopes")]
    [InlineData("""{"name":"t","scopes":[]}""", "scopes")]
    [InlineData("""{"name":"t"}""", "scopes")]
    [InlineData("""{"name":"t","scopes":null}""", "scopes")]
    [InlineData("""{"name":"t","scopes":["nope"]}""", "scopes")]
    [InlineData("""{"name":"t","scopes":["api","nope"]}""", "scopes")]
    [InlineData("""{"name":"t","scopes":["API"]}""", "scopes")]
    [InlineData("""{"name":"t","scopes":[""]}""", "scopes")]
    [InlineData("""{"name":"t","scopes":[null]}""", "scopes")]
    [InlineData("""{"name":"t","scopes":[5]}""", "scopes")]
    [InlineData("""{"name":"t","scopes":{"api":true}}""", "scopes")]
    [InlineData("""{"name":"t","scopes":["api"],"description":5}""", "description")]
    [InlineData("""{"name":"t","scopes":["api"],"description":{}}""", "description")]
    [InlineData("""{"name":"t","scopes":["api"],"never_expires_acknowledged":"yes"}""", "never_expires_acknowledged")]
    [InlineData("""{"name":"t","scopes":["api"],"never_expires_acknowledged":null}""", "never_expires_acknowledged")]
    [InlineData("""{"name":"t","scopes":["api"],"user_id":"1"}""", "user_id")]
    [InlineData("""{"name":"t","scopes":["api"],"user_id":1.5}""", "user_id")]
    public async Task Wrong_or_missing_fields_are_refused_by_field_and_create_nothing(string json, string field)
    {
        var admin = await _factory.CreateAdminClientAsync();
        var before = await CountAsync(admin);
        using var response = await admin.SendRawAsync(HttpMethod.Post, "/api/tokens", json);
        await ProblemAssert.ValidationAsync(response, field);
        Assert.Equal(before, await CountAsync(admin));
    }

    [Fact]
    public async Task Names_of_1_and_255_characters_are_accepted_and_256_is_refused()
    {
        var admin = await _factory.CreateAdminClientAsync();
        Assert.Equal("n", (await admin.CreateTokenAsync(new { name = "n", scopes = new[] { "api" } }))["name"]!.GetValue<string>());
        var longest = new string('n', 255);
        Assert.Equal(longest, (await admin.CreateTokenAsync(new { name = longest, scopes = new[] { "api" } }))["name"]!.GetValue<string>());

        using var tooLong = await admin.PostAsJsonAsync("/api/tokens", new { name = new string('n', 256), scopes = new[] { "api" } });
        await ProblemAssert.ValidationAsync(tooLong, "name");
    }

    [Fact]
    public async Task Names_keep_their_unicode()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "Grüße 🔑 ключ", scopes = new[] { "api" } });
        using var get = await admin.GetAsync($"/api/tokens/{created["id"]}");
        Assert.Equal("Grüße 🔑 ключ", (await get.JsonAsync())!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_description_over_1000_characters_is_refused()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "described", scopes = new[] { "api" }, description = new string('d', 1000) });
        Assert.Equal(1000, created["description"]!.GetValue<string>().Length);
        using var tooLong = await admin.PostAsJsonAsync("/api/tokens", new { name = "described", scopes = new[] { "api" }, description = new string('d', 1001) });
        await ProblemAssert.ValidationAsync(tooLong, "description");
    }

    [Fact]
    public async Task Repeated_scopes_are_stored_once()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "dups", scopes = new[] { "read_api", "api", "read_api" } });
        Assert.Equal(["read_api", "api"], created["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        var admin = await _factory.CreateAdminClientAsync();
        using var response = await admin.SendRawAsync(HttpMethod.Post, "/api/tokens", """{"name":"extra","scopes":["api"],"colour":"blue","nested":{"a":[1,2]}}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Administrator_only_scopes_are_refused_for_other_users_but_not_for_administrators()
    {
        var user = await _factory.CreateUserAsync();
        using var refused = await _factory.CreateClient(user).PostAsJsonAsync("/api/tokens", new { name = "sudo", scopes = new[] { "sudo" } });
        await ProblemAssert.ValidationAsync(refused, "scopes");

        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "sudo", scopes = new[] { "sudo", "admin_mode" } });
        Assert.Equal(["sudo", "admin_mode"], created["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task An_administrator_creates_a_token_for_another_user_who_then_owns_it()
    {
        var user = await _factory.CreateUserAsync();
        var admin = await _factory.CreateAdminClientAsync();
        var created = await admin.CreateTokenAsync(new { name = "for someone", scopes = new[] { "read_api" }, user_id = user.Id });
        Assert.Equal(user.Id, created["user_id"]!.GetValue<long>());

        using var mine = await _factory.CreateClient(user).GetAsync($"/api/tokens/{created["id"]}");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        using var me = await _factory.CreateClient(created["token"]!.GetValue<string>()).GetAsync("/api/tokens/self");
        Assert.Equal(user.Id, (await me.JsonAsync())!["user_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_administrator_naming_an_unknown_user_gets_404_and_nothing_is_created()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var before = await CountAsync(admin);
        using var response = await admin.PostAsJsonAsync("/api/tokens", new { name = "ghost", scopes = new[] { "api" }, user_id = 987654 });
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(before, await CountAsync(admin));
    }

    [Fact]
    public async Task A_user_cannot_create_a_token_for_someone_else()
    {
        var user = await _factory.CreateUserAsync();
        var other = await _factory.CreateUserAsync();
        var admin = await _factory.CreateAdminClientAsync();
        var before = await CountAsync(admin);

        using var response = await _factory.CreateClient(user).PostAsJsonAsync("/api/tokens", new { name = "theirs", scopes = new[] { "api" }, user_id = other.Id });
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(before, await CountAsync(admin));
    }

    [Fact]
    public async Task Creating_needs_a_credential()
    {
        using var response = await _factory.CreateClient().PostAsJsonAsync("/api/tokens", new { name = "anon", scopes = new[] { "api" } });
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer realm=\"Latchkey\"", response.Headers.WwwAuthenticate.ToString());
    }

    /// <summary>Every personal access token in the server, revoked or not.</summary>
    internal static async Task<long> CountAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync("/api/tokens?all=true&per_page=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return long.Parse(response.Headers.GetValues("X-Total").Single(), CultureInfo.InvariantCulture);
    }
}
