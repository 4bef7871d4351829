using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.BadInput;

/// <summary>
/// Every route that reads a body — native, GitLab, Unleash, SailPoint (with <c>/oauth/token</c>), Talkover, OAuth introspection and revocation — fed
/// what a fuzzer sends: strings that are not Unicode text (invalid UTF-8, a lone high or low surrogate escape; in
/// JSON and in urlencoded and multipart forms), broken chunked framing, and truncated multipart bodies. Each answers a 4xx in the route's own error shape, never
/// a 500; nothing is written; nothing is logged as an error. Runs on real Kestrel over sockets, because the
/// in-memory test server does not parse chunked framing. The routes come from the app's own endpoint list, so a
/// new body-reading route without cases here fails <see cref="Every_route_that_reads_a_body_is_covered"/>.
/// </summary>
public sealed class BodyRouteBadInputTests : IClassFixture<BodyRouteBadInputTests.Fixture>
{
    private readonly Fixture _fixture;

    public BodyRouteBadInputTests(Fixture fixture) => _fixture = fixture;

    /// <summary>The live server plus the tokens the by-id and self routes aim at.</summary>
    public sealed class Fixture : LiveServerFactory
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private Arranged? _arranged;

        public async Task<Arranged> ArrangeAsync()
        {
            await _lock.WaitAsync();
            try
            {
                if (_arranged is null)
                {
                    var session = await AdminSessionAsync();
                    var admin = CreateClient(session);
                    var target = await admin.CreateTokenAsync(new { name = "target", scopes = new[] { "api" } });
                    var self = await admin.CreateTokenAsync(new { name = "self", scopes = new[] { "api" } });
                    using var created = await admin.PostAsync("/v3/personal-access-tokens", JsonContent("""{"name":"sailpoint-target","expirationDate":null,"userAwareTokenNeverExpires":true}"""));
                    var sailPoint = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
                    Assert.True(created.IsSuccessStatusCode, sailPoint.ToJsonString());
                    _arranged = new Arranged(session, self["token"]!.GetValue<string>(), target["id"]!.ToString(), sailPoint["id"]!.GetValue<string>());
                }

                return _arranged;
            }
            finally
            {
                _lock.Release();
            }
        }
    }

    public sealed record Arranged(string AdminSession, string SelfToken, string TargetId, string SailPointTargetId);

    /// <summary>POST routes that never read their body (actions named by the path, as GitLab's block).</summary>
    public static readonly string[] ActionsWithoutBody = ["POST /api/users/{id:long}/block", "POST /api/users/{id:long}/unblock", "POST /api/user/two_factor/"];

    /// <summary>Every route that reads a body, with what to feed it. The key is routing's own method and pattern.</summary>
    public static readonly BodyRoute[] Routes =
    [
        new("POST /api/session/", BodyRouteShape.Problem, """{"username":§,"password":"x"}""", "username", Anonymous: true),
        new("POST /api/users/", BodyRouteShape.Problem, """{"username":§,"password":"a-long-enough-password"}""", "username"),
        new("PATCH /api/users/{id:long}", BodyRouteShape.Problem, """{"name":§}""", "name"),
        new("PUT /api/user/password", BodyRouteShape.Problem, """{"current_password":"x","new_password":§}""", "new_password"),
        new("POST /api/user/two_factor/confirm", BodyRouteShape.Problem, """{"otp":§}""", "otp"),
        new("POST /api/user/two_factor/recovery_codes", BodyRouteShape.Problem, """{"otp":§}""", "otp"),
        new("POST /api/tokens/", BodyRouteShape.Problem, """{"name":§,"scopes":["api"]}""", "name"),
        new("PATCH /api/tokens/{id:long}", BodyRouteShape.Problem, """{"expires_at":§}""", "expires_at"),
        new("POST /api/tokens/{id:long}/rotate", BodyRouteShape.Problem, """{"expires_at":§}""", "expires_at"),
        new("POST /api/tokens/self/rotate", BodyRouteShape.Problem, """{"expires_at":§}""", "expires_at", AsSelfToken: true),
        new("POST /api/tokens/revoke", BodyRouteShape.Problem, """{"token":§}""", "token"),
        new("POST /api/administration/tokens/lookup", BodyRouteShape.Problem, """{"token":§}""", "token"),
        new("POST /api/v4/user/personal_access_tokens", BodyRouteShape.GitLab, """{"name":§,"scopes":["k8s_proxy"]}""", "name", AcceptsForm: true),
        new("POST /api/v4/users/{user_id:long}/personal_access_tokens", BodyRouteShape.GitLab, """{"name":"n","scopes":["api"],"expires_at":§}""", "expires_at", AcceptsForm: true),
        new("POST /api/v4/personal_access_tokens/{id:long}/rotate", BodyRouteShape.GitLab, """{"expires_at":§}""", "expires_at", AcceptsForm: true),
        new("POST /api/v4/personal_access_tokens/self/rotate", BodyRouteShape.GitLab, """{"expires_at":§}""", "expires_at", AcceptsForm: true, AsSelfToken: true),
        new("POST /api/admin/user/tokens", BodyRouteShape.Unleash, """{"description":§,"expiresAt":"2099-01-01T00:00:00.000Z"}""", "description"),
        .. new[] { "v3", "beta", "v2024" }.SelectMany(version => new BodyRoute[]
        {
            new($"POST /{version}/personal-access-tokens/", BodyRouteShape.SailPoint, """{"name":§}""", "name"),
            new($"PATCH /{version}/personal-access-tokens/{{id}}", BodyRouteShape.SailPoint, """[{"op":"replace","path":"/name","value":§}]""", "body", JsonContentType: "application/json-patch+json"),
        }),
        new("POST /api/v1/user/api-tokens/", BodyRouteShape.Laravel, """{"name":"n","abilities":[§]}""", "name", AcceptsForm: true),
        new("POST /oauth/token", BodyRouteShape.OAuth, null, "body", AcceptsForm: true, Anonymous: true),
        new("POST /oauth/introspect", BodyRouteShape.OAuth, null, "body", AcceptsForm: true),
        new("POST /oauth/revoke", BodyRouteShape.OAuth, null, "body", AcceptsForm: true, Anonymous: true),
    ];

    /// <summary>The three ways a JSON string can fail to be text, as the bytes between its quotes.</summary>
    public static readonly Dictionary<string, byte[]> BadStrings = new()
    {
        ["invalid UTF-8"] = [(byte)'"', 0xFF, (byte)'x', (byte)'"'],
        ["UTF-8 encoded surrogate"] = [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'],
        ["lone high surrogate escape"] = Encoding.ASCII.GetBytes("\"a\\ud800b\""),
        ["lone low surrogate escape"] = Encoding.ASCII.GetBytes("\"\\udc00\""),
    };

    private static BodyRoute Route(string key) => Routes.Single(r => r.Key == key);

    public static TheoryData<string, string> JsonRoutesAndBadStrings()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Routes.Where(r => r.JsonTemplate is not null))
        {
            foreach (var bad in BadStrings.Keys)
            {
                data.Add(route.Key, bad);
            }
        }

        return data;
    }

    public static TheoryData<string> AllRoutes() => [.. Routes.Select(r => r.Key)];

    public static TheoryData<string> FormRoutes() => [.. Routes.Where(r => r.AcceptsForm).Select(r => r.Key)];

    [Fact]
    public void Every_route_that_reads_a_body_is_covered()
    {
        var bodyMethods = new[] { "POST", "PUT", "PATCH" };
        var routed = _fixture.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Intersect(bodyMethods).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order()
            .ToList();

        Assert.NotEmpty(routed);
        Assert.Equal(routed, Routes.Select(r => r.Key).Concat(ActionsWithoutBody).Order().ToList());
    }

    [Theory]
    [MemberData(nameof(JsonRoutesAndBadStrings))]
    public async Task A_JSON_string_that_is_not_Unicode_text_is_refused_in_the_routes_own_shape(string key, string badString)
    {
        var route = Route(key);
        var template = Encoding.UTF8.GetBytes(route.JsonTemplate!);
        var at = Array.IndexOf(template, (byte)0xC2); // '§' is C2 A7 in UTF-8
        byte[] body = [.. template[..at], .. BadStrings[badString], .. template[(at + 2)..]];

        await AssertRefusedAsync(route, async arranged =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(route.JsonContentType);
            return await SendAsync(route, arranged, content);
        }, expectedStatus: route.Shape == BodyRouteShape.Laravel ? 422 : 400, badText: true);
    }

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task A_chunk_size_that_overflows_is_a_400_in_the_routes_own_shape(string key)
    {
        var route = Route(key);
        await AssertRefusedAsync(route, arranged => SendChunkedAsync(route, arranged, "FFFFFFFFFFFFFFFF\r\n{\"name\":\"x\"}\r\n"), expectedStatus: 400);
    }

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task A_chunked_body_cut_off_by_bad_framing_is_a_400_in_the_routes_own_shape(string key)
    {
        var route = Route(key);
        // A chunk longer than its size says: the framing breaks where the CRLF should be.
        await AssertRefusedAsync(route, arranged => SendChunkedAsync(route, arranged, "2\r\n{\"name\":\"x\"}\r\n0\r\n\r\n"), expectedStatus: 400);
    }

    private Task<RawHttp.Answer> SendChunkedAsync(BodyRoute route, Arranged arranged, string chunkedBody)
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = route.JsonTemplate is null ? "application/x-www-form-urlencoded" : route.JsonContentType,
            ["Transfer-Encoding"] = "chunked",
        };
        if (!route.Anonymous)
        {
            headers["Authorization"] = $"Bearer {(route.AsSelfToken ? arranged.SelfToken : arranged.AdminSession)}";
        }

        return RawHttp.SendAsync(_fixture.BaseAddress, route.Method, PathOf(route, arranged), headers, Encoding.ASCII.GetBytes(chunkedBody));
    }

    [Theory]
    [MemberData(nameof(FormRoutes))]
    public async Task A_truncated_multipart_body_is_refused_in_the_routes_own_shape(string key)
    {
        var route = Route(key);
        const string Boundary = "latchkey-boundary";
        var body = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\ncut-off");

        // Every API, Talkover included, answers a cut-off body with 400 in its own shape.
        await AssertRefusedAsync(route, async arranged =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
            return await SendAsync(route, arranged, content);
        }, expectedStatus: 400);
    }

    public static TheoryData<string, string> FormRoutesAndEncodings()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Routes.Where(r => r.AcceptsForm))
        {
            data.Add(route.Key, "urlencoded");
            data.Add(route.Key, "multipart");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FormRoutesAndEncodings))]
    public async Task A_form_field_that_is_not_UTF8_text_is_refused_in_the_routes_own_shape(string key, string encoding)
    {
        var route = Route(key);

        // Text fields hold the byte 0xFF beside a valid scopes field: without the check a create stores a name
        // with U+FFFD in it, and a rotate (which reads neither field) goes ahead. A field is refused even when
        // the route does not read it, as a JSON string is.
        string[] fields = route.Shape == BodyRouteShape.OAuth ? ["grant_type", "client_id", "client_secret"] : ["name", "description"];
        const string Boundary = "latchkey-boundary";
        var body = new MemoryStream();
        foreach (var field in fields)
        {
            if (encoding == "urlencoded")
            {
                body.Write(Encoding.ASCII.GetBytes($"{(body.Length > 0 ? "&" : "")}{field}=%FFx"));
            }
            else
            {
                body.Write(Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n"));
                body.Write([0xFF, (byte)'x', (byte)'\r', (byte)'\n']);
            }
        }

        if (route.Shape != BodyRouteShape.OAuth)
        {
            body.Write(Encoding.ASCII.GetBytes(encoding == "urlencoded"
                ? "&scopes=k8s_proxy"
                : $"--{Boundary}\r\nContent-Disposition: form-data; name=\"scopes\"\r\n\r\nk8s_proxy\r\n"));
        }

        if (encoding == "multipart")
        {
            body.Write(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
        }

        // Talkover reads a form it cannot take as no input, so Laravel's validation answers (422).
        await AssertRefusedAsync(route, async arranged =>
        {
            using var content = new ByteArrayContent(body.ToArray());
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(encoding == "urlencoded" ? "application/x-www-form-urlencoded" : $"multipart/form-data; boundary={Boundary}");
            return await SendAsync(route, arranged, content);
        }, expectedStatus: route.Shape == BodyRouteShape.Laravel ? 422 : 400);
    }

    private async Task AssertRefusedAsync(BodyRoute route, Func<Arranged, Task<RawHttp.Answer>> send, int expectedStatus, bool badText = false)
    {
        var arranged = await _fixture.ArrangeAsync();
        var before = await SnapshotAsync(arranged);
        var logged = _fixture.Logs.Lines.Count;

        var answer = await send(arranged);

        Assert.True(answer.Status == expectedStatus, $"{route.Key}: expected {expectedStatus}, got {answer.Status}: {answer.Body}");
        ProblemAssert.NoInternals(answer.Body);
        AssertShape(route, answer, badText);
        Assert.Equal(before, await SnapshotAsync(arranged));
        Assert.DoesNotContain(_fixture.Logs.Lines.Skip(logged), line => line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal));
    }

    private static void AssertShape(BodyRoute route, RawHttp.Answer answer, bool badText)
    {
        var body = JsonNode.Parse(answer.Body)!.AsObject();
        switch (route.Shape)
        {
            case BodyRouteShape.Problem:
                Assert.Equal("application/problem+json", answer.MediaType);
                Assert.Equal(answer.Status, body["status"]!.GetValue<int>());
                Assert.False(string.IsNullOrWhiteSpace(body["title"]?.GetValue<string>()));
                if (badText)
                {
                    Assert.True(body["errors"]?[route.Field] is JsonArray { Count: > 0 }, $"expected an error for '{route.Field}': {answer.Body}");
                }

                break;
            case BodyRouteShape.GitLab:
                Assert.Equal("application/json", answer.MediaType);
                var text = (body["message"] ?? body["error"])?.GetValue<string>();
                Assert.False(string.IsNullOrWhiteSpace(text), answer.Body);
                Assert.Single(body);
                if (badText)
                {
                    Assert.Equal($"{route.Field} is invalid", text);
                }

                break;
            case BodyRouteShape.Unleash:
                Assert.Equal("application/json", answer.MediaType);
                Assert.False(string.IsNullOrWhiteSpace(body["message"]?.GetValue<string>()), answer.Body);
                if (badText)
                {
                    Assert.True(Guid.TryParse(body["id"]?.GetValue<string>(), out _), answer.Body);
                    Assert.Equal("BadDataError", body["name"]?.GetValue<string>());
                    Assert.Equal($"/body/{route.Field}", body["details"]![0]!["path"]!.GetValue<string>());
                }

                break;
            case BodyRouteShape.SailPoint:
                Assert.Equal("application/json", answer.MediaType);
                Assert.StartsWith("400", body["detailCode"]!.GetValue<string>(), StringComparison.Ordinal);
                Assert.Equal(32, body["trackingId"]!.GetValue<string>().Length);
                Assert.NotEmpty(body["messages"]!.AsArray());
                Assert.NotEmpty(body["causes"]!.AsArray());
                break;
            case BodyRouteShape.OAuth:
                Assert.Equal("invalid_request", body["error"]!.GetValue<string>());
                Assert.False(string.IsNullOrWhiteSpace(body["error_description"]?.GetValue<string>()));
                break;
            case BodyRouteShape.Laravel:
                Assert.Equal("application/json", answer.MediaType);
                Assert.False(string.IsNullOrWhiteSpace(body["message"]?.GetValue<string>()), answer.Body);
                if (answer.Status == 422)
                {
                    Assert.True(body["errors"] is JsonObject { Count: > 0 }, answer.Body);
                }

                break;
        }
    }

    private async Task<RawHttp.Answer> SendAsync(BodyRoute route, Arranged arranged, HttpContent content)
    {
        using var client = _fixture.CreateClient();
        if (!route.Anonymous)
        {
            client.WithBearer(route.AsSelfToken ? arranged.SelfToken : arranged.AdminSession);
        }

        using var request = new HttpRequestMessage(new HttpMethod(route.Method), PathOf(route, arranged)) { Content = content };
        using var response = await client.SendAsync(request);
        return new RawHttp.Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static string PathOf(BodyRoute route, Arranged arranged) => route.Pattern
        .Replace("{id:long}", arranged.TargetId, StringComparison.Ordinal)
        .Replace("{user_id:long}", "1", StringComparison.Ordinal)
        .Replace("{id}", arranged.SailPointTargetId, StringComparison.Ordinal);

    /// <summary>Every token of every user and every user (what can change about each).</summary>
    private async Task<string> SnapshotAsync(Arranged arranged)
    {
        using var admin = _fixture.CreateClient(arranged.AdminSession);
        using var tokens = await admin.GetAsync("/api/tokens?all=true&per_page=100&sort=id_asc");
        var items = JsonNode.Parse(await tokens.Content.ReadAsStringAsync())!.AsArray()
            .Select(t => $"{t!["id"]} {t["name"]} {t["description"]} {t["scopes"]!.ToJsonString()} {t["expires_at"]} revoked={t["revoked"]}");
        using var users = await admin.GetAsync("/api/users?per_page=100");
        var people = JsonNode.Parse(await users.Content.ReadAsStringAsync())!.AsArray()
            .Select(u => $"{u!["id"]} {u["name"]} {u["email"]} {u["state"]} admin={u["is_admin"]}");
        return $"{string.Join('\n', items)}\n{string.Join('\n', people)}\nusers={users.Headers.GetValues("X-Total").Single()}";
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");
}
