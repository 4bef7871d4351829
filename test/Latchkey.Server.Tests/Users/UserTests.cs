using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Users;

/// <summary><c>GET /api/user</c> and the administrators' <c>POST</c>/<c>GET /api/users</c>.</summary>
public sealed class UserTests : IClassFixture<LatchkeyServerFactory>
{
    private readonly LatchkeyServerFactory _factory;

    public UserTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task An_administrator_creates_a_user_who_can_then_sign_in()
    {
        var admin = await _factory.CreateAdminClientAsync();
        const string password = "a-perfectly-fine-passphrase";
        using var response = await admin.PostAsJsonAsync("/api/users", new { username = "grace", password, email = "grace@example.com", name = "Grace Hopper", admin = false });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync();
        AssertNoPassword(raw, password);
        var body = JsonNode.Parse(raw)!.AsObject();
        Assert.Equal(["created_at", "email", "id", "is_admin", "name", "state", "two_factor_enabled", "username"], body.Select(p => p.Key).Order());
        Assert.Equal("grace", body["username"]!.GetValue<string>());
        Assert.Equal("Grace Hopper", body["name"]!.GetValue<string>());
        Assert.Equal("grace@example.com", body["email"]!.GetValue<string>());
        Assert.Equal("active", body["state"]!.GetValue<string>());
        Assert.False(body["is_admin"]!.GetValue<bool>());
        Assert.Equal($"/api/users/{body["id"]!.GetValue<long>()}", response.Headers.Location?.OriginalString);

        var session = await _factory.CreateClient().SignInAsync("grace", password);
        using var me = await _factory.CreateClient(session).GetAsync("/api/user");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var meBody = (await me.JsonAsync())!;
        Assert.Equal(body["id"]!.GetValue<long>(), meBody["id"]!.GetValue<long>());
        Assert.Equal("grace", meBody["username"]!.GetValue<string>());
    }

    [Fact]
    public async Task Listing_users_shows_them_without_any_password_or_hash_and_with_pagination_headers()
    {
        var user = await _factory.CreateUserAsync();
        var admin = await _factory.CreateAdminClientAsync();

        using var response = await admin.GetAsync("/api/users?per_page=100");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync();
        AssertNoPassword(raw, user.Password);
        AssertNoPassword(raw, LatchkeyServerFactory.AdminPassword);
        var users = JsonNode.Parse(raw)!.AsArray();
        Assert.Contains(users, u => u!["username"]!.GetValue<string>() == user.Username);
        Assert.Contains(users, u => u!["username"]!.GetValue<string>() == "admin" && u["is_admin"]!.GetValue<bool>());
        Assert.Equal(users.Count.ToString(), response.Headers.GetValues("X-Total").Single());
        Assert.Equal("100", response.Headers.GetValues("X-Per-Page").Single());
    }

    [Fact]
    public async Task Non_administrators_get_403_from_both_users_endpoints()
    {
        var user = await _factory.CreateUserAsync();
        var client = _factory.CreateClient(user);

        using var list = await client.GetAsync("/api/users");
        await ProblemAssert.ProblemAsync(list, HttpStatusCode.Forbidden);

        using var create = await client.PostAsJsonAsync("/api/users", new { username = "sneaky", password = "a-long-enough-password" });
        await ProblemAssert.ProblemAsync(create, HttpStatusCode.Forbidden);

        using var after = await (await _factory.CreateAdminClientAsync()).GetAsync("/api/users?per_page=100");
        Assert.DoesNotContain("sneaky", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Users_endpoints_need_a_credential()
    {
        using var list = await _factory.CreateClient().GetAsync("/api/users");
        await ProblemAssert.ProblemAsync(list, HttpStatusCode.Unauthorized);
        using var create = await _factory.CreateClient().PostAsJsonAsync("/api/users", new { username = "anon", password = "a-long-enough-password" });
        await ProblemAssert.ProblemAsync(create, HttpStatusCode.Unauthorized);
        using var me = await _factory.CreateClient().GetAsync("/api/user");
        await ProblemAssert.ProblemAsync(me, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_administrators_api_token_cannot_create_users_without_admin_mode(bool admin)
    {
        var session = await _factory.CreateAdminClientAsync();
        var apiToken = _factory.CreateClient((await session.CreateTokenAsync(new { name = $"admin api {admin}", scopes = new[] { "api" } }))["token"]!.GetValue<string>());
        var username = $"via-api-{admin}-{Guid.NewGuid():N}"[..30];

        using var create = await apiToken.PostAsJsonAsync("/api/users", new { username, password = "a-long-enough-password", admin });

        var body = await ProblemAssert.ProblemAsync(create, HttpStatusCode.Forbidden);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"admin_mode\"", create.Headers.WwwAuthenticate.ToString());
        Assert.Equal("admin_mode", body["scope"]!.GetValue<string>());
        using var after = await session.GetAsync("/api/users?per_page=100");
        Assert.DoesNotContain(username, await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_administrators_admin_mode_token_or_full_access_token_creates_an_administrator()
    {
        var session = await _factory.CreateAdminClientAsync();
        foreach (var scopes in new[] { new[] { "api", "admin_mode" }, new[] { "*" } })
        {
            var token = _factory.CreateClient((await session.CreateTokenAsync(new { name = string.Join('+', scopes), scopes }))["token"]!.GetValue<string>());
            var username = $"admin-{Guid.NewGuid():N}"[..20];

            using var create = await token.PostAsJsonAsync("/api/users", new { username, password = "a-long-enough-password", admin = true });

            Assert.Equal(HttpStatusCode.Created, create.StatusCode);
            Assert.True((await create.JsonAsync())!["is_admin"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task An_administrators_read_only_token_cannot_create_users()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var reader = _factory.CreateClient((await admin.CreateTokenAsync(new { name = "admin reader", scopes = new[] { "read_api" } }))["token"]!.GetValue<string>());

        using var list = await reader.GetAsync("/api/users");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        using var create = await reader.PostAsJsonAsync("/api/users", new { username = "via-reader", password = "a-long-enough-password" });
        var body = await ProblemAssert.ProblemAsync(create, HttpStatusCode.Forbidden);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"api\"", create.Headers.WwwAuthenticate.ToString());
        Assert.Equal("api", body["scope"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_user_created_as_administrator_can_administer()
    {
        var second = await _factory.CreateUserAsync(admin: true);
        using var list = await _factory.CreateClient(second).GetAsync("/api/users");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Theory]
    [InlineData("dup-exact", "dup-exact")]
    [InlineData("Dup-Case", "dup-case")]
    [InlineData("dup-upper", "DUP-UPPER")]
    public async Task A_taken_username_answers_409_whatever_its_case(string first, string second)
    {
        var admin = await _factory.CreateAdminClientAsync();
        using (var created = await admin.PostAsJsonAsync("/api/users", new { username = first, password = "a-long-enough-password" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var duplicate = await admin.PostAsJsonAsync("/api/users", new { username = second, password = "a-long-enough-password" });
        await ProblemAssert.ProblemAsync(duplicate, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_first_administrator_cannot_be_created_twice()
    {
        var admin = await _factory.CreateAdminClientAsync();
        using var duplicate = await admin.PostAsJsonAsync("/api/users", new { username = "ADMIN", password = "a-long-enough-password", admin = true });
        await ProblemAssert.ProblemAsync(duplicate, HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("")]
    [InlineData("xyzzy")]
    [InlineData("elevenchars")]
    public async Task A_password_shorter_than_12_characters_is_refused_by_field(string password)
    {
        var admin = await _factory.CreateAdminClientAsync();
        var username = $"weak-{password.Length}";
        using var response = await admin.PostAsJsonAsync("/api/users", new { username, password });
        var body = await ProblemAssert.ValidationAsync(response, "password");
        Assert.DoesNotContain(password.Length > 0 ? password : "\"\"", body["errors"]!.ToJsonString());

        using var list = await admin.GetAsync("/api/users?per_page=100");
        Assert.DoesNotContain(username, await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_password_of_exactly_12_characters_is_enough()
    {
        var admin = await _factory.CreateAdminClientAsync();
        using var response = await admin.PostAsJsonAsync("/api/users", new { username = "twelve", password = "twelve-chars" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"password":"a-long-enough-password"}""", "username")]
    [InlineData("""{"username":"","password":"a-long-enough-password"}""", "username")]
    [InlineData("""{"username":"has space","password":"a-long-enough-password"}""", "username")]
    [InlineData("""{"username":"-dash","password":"a-long-enough-password"}""", "username")]
    [InlineData("""{"username":"nopass"}""", "password")]
    [InlineData("""{"username":"bad-mail","password":"a-long-enough-password","email":"not-an-address"}""", "email")]
    [InlineData("""{"username":5,"password":"a-long-enough-password"}""", "username")]
    [InlineData("""{"username":"typed","password":123456789012345}""", "password")]
    [InlineData("""{"username":"typed2","password":"a-long-enough-password","admin":"yes"}""", "admin")]
    [InlineData("""{"username":"typed3","password":"a-long-enough-password","email":["a@b.c"]}""", "email")]
    public async Task Invalid_user_fields_are_refused_by_field(string json, string field)
    {
        var admin = await _factory.CreateAdminClientAsync();
        using var response = await admin.SendRawAsync(HttpMethod.Post, "/api/users", json);
        await ProblemAssert.ValidationAsync(response, field);
    }

    [Fact]
    public async Task A_username_of_256_characters_is_refused_and_255_is_accepted()
    {
        var admin = await _factory.CreateAdminClientAsync();
        using var tooLong = await admin.PostAsJsonAsync("/api/users", new { username = new string('u', 256), password = "a-long-enough-password" });
        await ProblemAssert.ValidationAsync(tooLong, "username");
        using var longest = await admin.PostAsJsonAsync("/api/users", new { username = new string('u', 255), password = "a-long-enough-password" });
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }

    [Fact]
    public async Task The_current_user_needs_read_user_and_api_implies_it()
    {
        var admin = await _factory.CreateAdminClientAsync();
        var withApi = _factory.CreateClient((await admin.CreateTokenAsync(new { name = "api for me", scopes = new[] { "api" } }))["token"]!.GetValue<string>());
        var withReadUser = _factory.CreateClient((await admin.CreateTokenAsync(new { name = "read_user for me", scopes = new[] { "read_user" } }))["token"]!.GetValue<string>());
        var withRegistry = _factory.CreateClient((await admin.CreateTokenAsync(new { name = "registry for me", scopes = new[] { "read_registry" } }))["token"]!.GetValue<string>());

        using (var viaApi = await withApi.GetAsync("/api/user"))
        {
            Assert.Equal(HttpStatusCode.OK, viaApi.StatusCode);
            Assert.Equal("admin", (await viaApi.JsonAsync())!["username"]!.GetValue<string>());
        }

        using (var viaReadUser = await withReadUser.GetAsync("/api/user"))
        {
            Assert.Equal(HttpStatusCode.OK, viaReadUser.StatusCode);
        }

        using var refused = await withRegistry.GetAsync("/api/user");
        await ProblemAssert.ProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"read_user\"", refused.Headers.WwwAuthenticate.ToString());
    }

    private static void AssertNoPassword(string raw, string password)
    {
        Assert.DoesNotContain(password, raw);
        Assert.DoesNotContain("password", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hash", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AQAAAA", raw); // the start of every ASP.NET Core Identity v3 password hash
    }
}
