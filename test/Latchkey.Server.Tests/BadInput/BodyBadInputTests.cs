using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.BadInput;

/// <summary>
/// Every endpoint that reads a body, fed bodies that are not what it expects: always a problem (400 keyed by
/// field, or 415), never a 500, never a stack trace, and nothing written.
/// </summary>
public sealed class BodyBadInputTests : IClassFixture<BodyBadInputTests.Fixture>
{
    private readonly Fixture _fixture;

    public BodyBadInputTests(Fixture fixture) => _fixture = fixture;

    /// <summary>The server plus one token the PATCH and rotate requests aim at; bad input must leave it as it was.</summary>
    public sealed class Fixture : LatchkeyServerFactory
    {
        private JsonObject? _target;

        public async Task<JsonObject> TargetAsync()
        {
            if (_target is null)
            {
                var admin = await CreateAdminClientAsync();
                _target = await admin.CreateTokenAsync(new { name = "target", description = "untouched", scopes = new[] { "api" } });
            }

            return _target;
        }
    }

    public static readonly string[] BodyEndpoints =
    [
        "POST /api/session",
        "POST /api/users",
        "POST /api/tokens",
        "PATCH /api/tokens/{id}",
        "POST /api/tokens/{id}/rotate",
        "POST /api/tokens/self/rotate",
        "POST /api/tokens/revoke",
    ];

    public static readonly string[] MalformedBodies =
    [
        """{"name":""",
        "not json",
        """{"name":"x",}""",
        """{'name':'x'}""",
        """{"name":"x"} {"name":"y"}""",
        "[1,2]",
        "\"just a string\"",
        "42",
        "true",
        "null",
        "{\"name\":\"\u0000",
        new string('[', 3000) + new string(']', 3000),
    ];

    public static TheoryData<string, string> MalformedOnEveryEndpoint()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in BodyEndpoints)
        {
            foreach (var body in MalformedBodies)
            {
                data.Add(endpoint, body);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedOnEveryEndpoint))]
    public async Task Malformed_JSON_is_a_400_keyed_body(string endpoint, string body)
    {
        using var response = await SendAsync(endpoint, body, "application/json");
        await ProblemAssert.ValidationAsync(response, "body");
        await AssertNothingChangedAsync();
    }

    public static TheoryData<string, string?> NonJsonOnEveryEndpoint()
    {
        var data = new TheoryData<string, string?>();
        foreach (var endpoint in BodyEndpoints)
        {
            data.Add(endpoint, "text/plain");
            data.Add(endpoint, "application/x-www-form-urlencoded");
            data.Add(endpoint, "application/xml");
            data.Add(endpoint, null);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NonJsonOnEveryEndpoint))]
    public async Task A_body_that_is_not_JSON_by_content_type_is_415(string endpoint, string? contentType)
    {
        using var response = await SendAsync(endpoint, """{"name":"x","scopes":["api"],"username":"admin","password":"correct-horse-battery-staple","token":"x"}""", contentType);
        await ProblemAssert.ProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        await AssertNothingChangedAsync();
    }

    [Theory]
    [InlineData("POST /api/session")]
    [InlineData("POST /api/users")]
    [InlineData("POST /api/tokens")]
    [InlineData("PATCH /api/tokens/{id}")]
    [InlineData("POST /api/tokens/revoke")]
    public async Task An_empty_body_is_a_400_keyed_body(string endpoint)
    {
        using (var withType = await SendAsync(endpoint, string.Empty, "application/json"))
        {
            await ProblemAssert.ValidationAsync(withType, "body");
        }

        using (var without = await SendAsync(endpoint, null, null))
        {
            await ProblemAssert.ValidationAsync(without, "body");
        }

        await AssertNothingChangedAsync();
    }

    [Theory]
    [InlineData("POST /api/session", """{"username":5,"password":"correct-horse-battery-staple"}""", "username")]
    [InlineData("POST /api/session", """{"username":"admin","password":true}""", "password")]
    [InlineData("POST /api/session", """{"username":["admin"],"password":"x"}""", "username")]
    [InlineData("POST /api/session", """{"password":"correct-horse-battery-staple"}""", "username")]
    [InlineData("POST /api/session", """{"username":"admin"}""", "password")]
    [InlineData("POST /api/session", """{"username":"","password":""}""", "username")]
    [InlineData("POST /api/session", "{}", "username")]
    [InlineData("POST /api/users", """{"username":5,"password":"a-long-enough-password"}""", "username")]
    [InlineData("POST /api/users", """{"username":"u","password":{}}""", "password")]
    [InlineData("POST /api/users", """{"username":"u","password":"a-long-enough-password","admin":1}""", "admin")]
    [InlineData("POST /api/users", """{"username":"u","password":"a-long-enough-password","name":false}""", "name")]
    [InlineData("POST /api/users", "{}", "username")]
    [InlineData("POST /api/tokens", """{"name":"x","scopes":"api"}""", "scopes")]
    [InlineData("POST /api/tokens", """{"name":5,"scopes":["api"]}""", "name")]
    [InlineData("POST /api/tokens", """{"name":"x","scopes":["api"],"expires_at":true}""", "expires_at")]
    [InlineData("POST /api/tokens", "{}", "name")]
    [InlineData("PATCH /api/tokens/{id}", """{"name":5}""", "name")]
    [InlineData("PATCH /api/tokens/{id}", """{"name":""}""", "name")]
    [InlineData("PATCH /api/tokens/{id}", """{"scopes":"api"}""", "scopes")]
    [InlineData("PATCH /api/tokens/{id}", """{"scopes":["nope"]}""", "scopes")]
    [InlineData("PATCH /api/tokens/{id}", """{"scopes":[5]}""", "scopes")]
    [InlineData("PATCH /api/tokens/{id}", """{"expires_at":true}""", "expires_at")]
    [InlineData("PATCH /api/tokens/{id}", """{"expires_at":"not-a-date"}""", "expires_at")]
    [InlineData("PATCH /api/tokens/{id}", """{"expires_at":"2000-01-01"}""", "expires_at")]
    [InlineData("PATCH /api/tokens/{id}", """{"expires_at":"9999-12-31"}""", "expires_at")]
    [InlineData("PATCH /api/tokens/{id}", """{"expires_at":null}""", "expires_at")]
    [InlineData("PATCH /api/tokens/{id}", """{"description":5}""", "description")]
    [InlineData("PATCH /api/tokens/{id}", """{"description":["a"]}""", "description")]
    [InlineData("PATCH /api/tokens/{id}", """{"name":"ok","description":5}""", "description")]
    [InlineData("PATCH /api/tokens/{id}", """{"never_expires_acknowledged":"yes"}""", "never_expires_acknowledged")]
    [InlineData("POST /api/tokens/{id}/rotate", """{"expires_at":5}""", "expires_at")]
    [InlineData("POST /api/tokens/{id}/rotate", """{"expires_at":true}""", "expires_at")]
    [InlineData("POST /api/tokens/{id}/rotate", """{"expires_at":"not-a-date"}""", "expires_at")]
    [InlineData("POST /api/tokens/{id}/rotate", """{"expires_at":"2000-01-01"}""", "expires_at")]
    [InlineData("POST /api/tokens/{id}/rotate", """{"expires_at":"9999-12-31"}""", "expires_at")]
    [InlineData("POST /api/tokens/{id}/rotate", """{"expires_at":null}""", "expires_at")]
    [InlineData("POST /api/tokens/{id}/rotate", """{"never_expires_acknowledged":1}""", "never_expires_acknowledged")]
    [InlineData("POST /api/tokens/self/rotate", """{"expires_at":5}""", "expires_at")]
    [InlineData("POST /api/tokens/self/rotate", """{"expires_at":"0001-01-01"}""", "expires_at")]
    [InlineData("POST /api/tokens/revoke", """{"token":5}""", "token")]
    [InlineData("POST /api/tokens/revoke", """{"token":["lk_x"]}""", "token")]
    [InlineData("POST /api/tokens/revoke", """{"token":""}""", "token")]
    [InlineData("POST /api/tokens/revoke", """{"token":null}""", "token")]
    [InlineData("POST /api/tokens/revoke", "{}", "token")]
    public async Task Wrong_types_and_missing_fields_are_a_400_keyed_by_field(string endpoint, string body, string field)
    {
        using var response = await SendAsync(endpoint, body, "application/json");
        await ProblemAssert.ValidationAsync(response, field);
        await AssertNothingChangedAsync();
    }

    [Fact]
    public async Task A_JSON_content_type_with_parameters_or_a_suffix_is_still_JSON()
    {
        var admin = await _fixture.CreateAdminClientAsync();
        using var charset = await admin.SendRawAsync(HttpMethod.Post, "/api/tokens", """{"name":"charset","scopes":["api"]}""", "application/json; charset=utf-8");
        Assert.Equal(HttpStatusCode.Created, charset.StatusCode);
        using var suffix = await admin.SendRawAsync(HttpMethod.Post, "/api/tokens", """{"name":"suffix","scopes":["api"]}""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.Created, suffix.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string endpoint, string? body, string? contentType)
    {
        var target = await _fixture.TargetAsync();
        var parts = endpoint.Split(' ');
        var path = parts[1].Replace("{id}", target["id"]!.ToString());
        var client = parts[1].Contains("/self/")
            ? _fixture.CreateClient(target["token"]!.GetValue<string>())
            : await _fixture.CreateAdminClientAsync();
        using var request = new HttpRequestMessage(new HttpMethod(parts[0]), path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
            }
        }

        return await client.SendAsync(request);
    }

    /// <summary>The target token is as created, still works, and no other token appeared.</summary>
    private async Task AssertNothingChangedAsync()
    {
        var target = await _fixture.TargetAsync();
        var admin = await _fixture.CreateAdminClientAsync();
        using var get = await admin.GetAsync($"/api/tokens/{target["id"]}");
        var now = (await get.JsonAsync())!;
        Assert.Equal("target", now["name"]!.GetValue<string>());
        Assert.Equal("untouched", now["description"]!.GetValue<string>());
        Assert.Equal(["api"], now["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(target["expires_at"]!.GetValue<string>(), now["expires_at"]!.GetValue<string>());
        Assert.True(now["active"]!.GetValue<bool>());

        using var tokens = await admin.GetAsync("/api/tokens?all=true&per_page=1&search=target");
        Assert.Equal("1", tokens.Headers.GetValues("X-Total").Single());
        using var users = await admin.GetAsync("/api/users?per_page=1");
        Assert.Equal("1", users.Headers.GetValues("X-Total").Single());
    }
}
