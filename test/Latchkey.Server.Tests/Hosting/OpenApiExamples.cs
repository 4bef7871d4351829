using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Hosting;

/// <summary>
/// Real requests for every operation of <c>/openapi/v1.json</c>, keyed by operation id: for each, at least one that
/// succeeds and one that fails. Each operation gets a fresh user, so examples cannot trip over each other's tokens.
/// </summary>
internal static class OpenApiExamples
{
    private const string Missing = "999999999";
    private const string Form = "application/x-www-form-urlencoded";
    private const string JsonPatch = "application/json-patch+json";

    public static readonly IReadOnlyDictionary<string, Func<Context, Task<OpenApiExample[]>>> ByOperation = Build();

    private static Dictionary<string, Func<Context, Task<OpenApiExample[]>>> Build()
    {
        var table = new Dictionary<string, Func<Context, Task<OpenApiExample[]>>>(StringComparer.Ordinal)
        {
            // Sessions.
            ["SignIn"] = c => Task.FromResult(new[]
            {
                new OpenApiExample("POST", "/api/session", null) { Body = $$"""{"username":"{{c.User.Username}}","password":"{{c.User.Password}}"}""" },
                new OpenApiExample("POST", "/api/session", null) { Body = $$"""{"username":"{{c.User.Username}}","password":"wrong-password"}""" },
                new OpenApiExample("POST", "/api/session", null) { Body = "{}" },
                new OpenApiExample("POST", "/api/session", null) { Body = "username=admin", ContentType = "text/plain" },
            }),
            ["SignOut"] = async c => [
                new("DELETE", "/api/session", await c.Client.SignInAsync(c.User.Username, c.User.Password)),
                new("DELETE", "/api/session", (await c.PatAsync("api")).Secret),
            ],

            // Users, scopes, audit.
            ["GetCurrentUser"] = async c => [new("GET", "/api/user", c.User.Session), new("GET", "/api/user", (await c.PatAsync("self_rotate")).Secret)],
            ["CreateUser"] = c => Task.FromResult(new[]
            {
                new OpenApiExample("POST", "/api/users", c.Admin) { Body = $$"""{"username":"{{c.User.Username}}-2","password":"{{TestUser.DefaultPassword}}"}""" },
                new OpenApiExample("POST", "/api/users", c.Admin) { Body = $$"""{"username":"{{c.User.Username}}","password":"{{TestUser.DefaultPassword}}"}""" },
                new OpenApiExample("POST", "/api/users", c.Admin) { Body = """{"username":""}""" },
                new OpenApiExample("POST", "/api/users", c.User.Session) { Body = """{"username":"nobody"}""" },
            }),
            ["GetUser"] = c => Task.FromResult(new OpenApiExample[] { new("GET", $"/api/users/{c.User.Id}", c.User.Session), new("GET", $"/api/users/{Missing}", c.User.Session) }),
            ["UpdateUser"] = c => Task.FromResult(new[]
            {
                new OpenApiExample("PATCH", $"/api/users/{c.User.Id}", c.User.Session) { Body = """{"name":"Renamed","email":null}""" },
                new OpenApiExample("PATCH", $"/api/users/{c.User.Id}", c.User.Session) { Body = """{"name":5}""" },
                new OpenApiExample("PATCH", $"/api/users/{c.User.Id}", c.User.Session) { Body = """{"is_admin":true}""" },
                new OpenApiExample("PATCH", $"/api/users/{Missing}", c.Admin) { Body = """{"name":"x"}""" },
            }),
            ["ChangePassword"] = c => Task.FromResult(new[]
            {
                new OpenApiExample("PUT", "/api/user/password", c.User.Session) { Body = """{"current_password":"wrong-password","new_password":"a-brand-new-passphrase"}""" },
                new OpenApiExample("PUT", "/api/user/password", c.User.Session) { Body = $$"""{"current_password":"{{c.User.Password}}","new_password":"a-brand-new-passphrase"}""" },
            }),
            ["BlockUser"] = c => Task.FromResult(new OpenApiExample[] { new("POST", $"/api/users/{Missing}/block", c.Admin), new("POST", $"/api/users/{c.User.Id}/block", c.User.Session), new("POST", $"/api/users/{c.User.Id}/block", c.Admin) }),
            ["UnblockUser"] = c => Task.FromResult(new OpenApiExample[] { new("POST", $"/api/users/{Missing}/unblock", c.Admin), new("POST", $"/api/users/{c.User.Id}/unblock", c.Admin) }),
            ["RevokeUserTokens"] = async c =>
            {
                await c.PatAsync("api");
                return [new("DELETE", $"/api/users/{c.User.Id}/tokens", c.Admin), new("DELETE", $"/api/users/{Missing}/tokens", c.Admin)];
            },
            ["DeleteUser"] = c => Task.FromResult(new OpenApiExample[] { new("DELETE", $"/api/users/{Missing}", c.Admin), new("DELETE", $"/api/users/{c.User.Id}", c.User.Session), new("DELETE", $"/api/users/{c.User.Id}", c.Admin) }),
            ["ListUsers"] = c => Task.FromResult(new OpenApiExample[] { new("GET", "/api/users?per_page=2", c.Admin), new("GET", "/api/users?page=0", c.Admin) }),
            ["ListScopes"] = c => Task.FromResult(new OpenApiExample[] { new("GET", "/api/scopes", c.User.Session), new("GET", "/api/scopes", "lk_not-a-token") }),
            ["ListAuditEvents"] = c => Task.FromResult(new OpenApiExample[] { new("GET", "/api/audit?per_page=3", c.Admin), new("GET", $"/api/audit?action=user.created&username={c.User.Username}", c.Admin), new("GET", "/api/audit", c.User.Session), new("GET", "/api/audit?page=x", c.Admin) }),

            // Administrators across users.
            ["ListAllTokens"] = async c =>
            {
                await c.PatAsync("api");
                return [new("GET", $"/api/administration/tokens?username={c.User.Username}&state=active&expires_within_days=60", c.Admin), new("GET", "/api/administration/tokens?expires_within_days=0", c.Admin), new("GET", "/api/administration/tokens", c.User.Session)];
            },
            ["LookupToken"] = async c =>
            {
                var (_, secret) = await c.PatAsync("read_api");
                return
                [
                    new OpenApiExample("POST", "/api/administration/tokens/lookup", c.Admin) { Body = $$"""{"token":"{{secret}}"}""" },
                    new OpenApiExample("POST", "/api/administration/tokens/lookup", c.Admin) { Body = """{"token":"lk_not-a-token"}""" },
                    new OpenApiExample("POST", "/api/administration/tokens/lookup", c.Admin) { Body = """{"token":""}""" },
                    new OpenApiExample("POST", "/api/administration/tokens/lookup", c.User.Session) { Body = $$"""{"token":"{{secret}}"}""" },
                    new OpenApiExample("POST", "/api/administration/tokens/lookup", c.Admin) { Body = "token=x", ContentType = "text/plain" },
                ];
            },
            ["GetTokenPolicy"] = c => Task.FromResult(new OpenApiExample[] { new("GET", "/api/administration/policy", c.Admin), new("GET", "/api/administration/policy", c.User.Session) }),

            // Two-factor authentication.
            ["GetTwoFactorStatus"] = async c => [new("GET", "/api/user/two_factor", c.User.Session), new("GET", "/api/user/two_factor", (await c.PatAsync("api")).Secret)],
            ["StartTwoFactorEnrolment"] = async c => [new("POST", "/api/user/two_factor", c.User.Session), new("POST", "/api/user/two_factor", (await c.PatAsync("api")).Secret)],
            ["ConfirmTwoFactorEnrolment"] = async c =>
            {
                var secret = await c.StartEnrolmentAsync();
                return [
                    new("POST", "/api/user/two_factor/confirm", c.User.Session) { Body = """{"otp":5}""" },
                    new("POST", "/api/user/two_factor/confirm", c.User.Session) { Body = """{"otp":"abcde-fghjk"}""" },
                    new("POST", "/api/user/two_factor/confirm", c.User.Session) { Body = $$"""{"otp":"{{Context.CodeNow(secret)}}"}""" },
                    new("POST", "/api/user/two_factor/confirm", c.User.Session) { Body = """{"otp":"123456"}""" },
                ];
            },
            ["DisableTwoFactor"] = async c =>
            {
                await c.EnrolAsync();
                return [
                    new("DELETE", "/api/user/two_factor", c.User.Session) { Body = "{}" },
                    new("DELETE", "/api/user/two_factor", c.User.Session) { Body = """{"password":"wrong-password"}""" },
                    new("DELETE", "/api/user/two_factor", c.User.Session) { Body = $$"""{"password":"{{c.User.Password}}"}""" },
                    new("DELETE", "/api/user/two_factor", c.User.Session) { Body = $$"""{"password":"{{c.User.Password}}"}""" },
                ];
            },
            ["RegenerateRecoveryCodes"] = async c =>
            {
                await c.EnrolAsync();
                return [
                    new("POST", "/api/user/two_factor/recovery_codes", c.User.Session) { Body = $$"""{"password":"{{c.User.Password}}"}""" },
                    new("POST", "/api/user/two_factor/recovery_codes", c.User.Session) { Body = """{"otp":"abcde-fghjk"}""" },
                    new("POST", "/api/user/two_factor/recovery_codes", c.User.Session) { Body = "otp=1", ContentType = "text/plain" },
                ];
            },
            ["ResetTwoFactor"] = async c =>
            {
                await c.EnrolAsync();
                return [
                    new("DELETE", $"/api/users/{c.User.Id}/two_factor", c.User.Session),
                    new("DELETE", $"/api/users/{Missing}/two_factor", c.Admin),
                    new("DELETE", $"/api/users/{c.User.Id}/two_factor", c.Admin),
                    new("DELETE", $"/api/users/{c.User.Id}/two_factor", c.Admin),
                ];
            },

            // The native token API.
            ["CreateToken"] = c => Task.FromResult(new[]
            {
                new OpenApiExample("POST", "/api/tokens", c.User.Session) { Body = """{"name":"ci","scopes":["read_api"],"expires_at":null,"never_expires_acknowledged":true}""" },
                new OpenApiExample("POST", "/api/tokens", c.User.Session) { Body = """{"name":"ci","scopes":["no-such-scope"]}""" },
                new OpenApiExample("POST", "/api/tokens", c.User.Session) { Body = "name=ci", ContentType = "text/plain" },
            }),
            ["ListTokens"] = c => Task.FromResult(new OpenApiExample[] { new("GET", "/api/tokens?state=active&sort=name_asc", c.User.Session), new("GET", "/api/tokens?state=bogus", c.User.Session), new("GET", "/api/tokens?all=true", c.User.Session) }),
            ["GetCurrentToken"] = async c => [new("GET", "/api/tokens/self", (await c.PatAsync("read_api")).Secret), new("GET", "/api/tokens/self", "lk_not-a-token")],
            ["GetToken"] = async c => [new("GET", $"/api/tokens/{(await c.PatAsync("api")).Id}", c.User.Session), new("GET", $"/api/tokens/{Missing}", c.User.Session)],
            ["UpdateToken"] = async c =>
            {
                var id = (await c.PatAsync("api")).Id;
                return [
                    new("PATCH", $"/api/tokens/{id}", c.User.Session) { Body = """{"name":"renamed","description":null}""" },
                    new("PATCH", $"/api/tokens/{id}", c.User.Session) { Body = """{"name":5}""" },
                    new("PATCH", $"/api/tokens/{Missing}", c.User.Session) { Body = """{"name":"renamed"}""" },
                ];
            },
            ["RotateToken"] = async c => [
                new("POST", $"/api/tokens/{(await c.PatAsync("api")).Id}/rotate", c.User.Session),
                new("POST", $"/api/tokens/{Missing}/rotate", c.User.Session),
                new("POST", $"/api/tokens/{(await c.PatAsync("api")).Id}/rotate", c.User.Session) { Body = """{"expires_at":"someday"}""" },
            ],
            ["RotateCurrentToken"] = async c => [
                new("POST", "/api/tokens/self/rotate", (await c.PatAsync("api")).Secret),
                new("POST", "/api/tokens/self/rotate", (await c.PatAsync("read_api")).Secret),
            ],
            ["RevokeToken"] = async c => [new("DELETE", $"/api/tokens/{(await c.PatAsync("api")).Id}", c.User.Session), new("DELETE", $"/api/tokens/{Missing}", c.User.Session)],
            ["RevokeCurrentToken"] = async c => [new("DELETE", "/api/tokens/self", (await c.PatAsync("read_api")).Secret), new("DELETE", "/api/tokens/self", "lk_not-a-token")],
            ["RevokeTokenByValue"] = async c => [
                new("POST", "/api/tokens/revoke", c.User.Session) { Body = new JsonObject { ["token"] = (await c.PatAsync("api")).Secret }.ToJsonString() },
                new("POST", "/api/tokens/revoke", c.User.Session) { Body = """{"token":"lk_not-a-token"}""" },
                new("POST", "/api/tokens/revoke", c.User.Session) { Body = "{}" },
            ],

            // GitLab.
            ["GitLabListPersonalAccessTokens"] = c => Task.FromResult(new OpenApiExample[] { new("GET", "/api/v4/personal_access_tokens?state=active", c.User.Session), new("GET", "/api/v4/personal_access_tokens?state=bogus", c.User.Session) }),
            ["GitLabGetCurrentPersonalAccessToken"] = async c => [new("GET", "/api/v4/personal_access_tokens/self", (await c.PatAsync("read_api")).Secret), new("GET", "/api/v4/personal_access_tokens/self", c.User.Session)],
            ["GitLabGetPersonalAccessToken"] = async c => [new("GET", $"/api/v4/personal_access_tokens/{(await c.PatAsync("api")).Id}", c.User.Session), new("GET", $"/api/v4/personal_access_tokens/{Missing}", c.User.Session)],
            ["GitLabRotateCurrentPersonalAccessToken"] = async c => [
                new("POST", "/api/v4/personal_access_tokens/self/rotate", (await c.PatAsync("api")).Secret),
                new("POST", "/api/v4/personal_access_tokens/self/rotate", c.User.Session),
            ],
            ["GitLabRotatePersonalAccessToken"] = async c => [
                new("POST", $"/api/v4/personal_access_tokens/{(await c.PatAsync("api")).Id}/rotate", c.User.Session),
                new("POST", $"/api/v4/personal_access_tokens/{Missing}/rotate", c.User.Session),
                new("POST", $"/api/v4/personal_access_tokens/{(await c.PatAsync("api")).Id}/rotate", c.User.Session) { Body = "expires_at=someday", ContentType = Form },
            ],
            ["GitLabRevokeCurrentPersonalAccessToken"] = async c => [new("DELETE", "/api/v4/personal_access_tokens/self", (await c.PatAsync("read_api")).Secret), new("DELETE", "/api/v4/personal_access_tokens/self", c.User.Session)],
            ["GitLabRevokePersonalAccessToken"] = async c => [new("DELETE", $"/api/v4/personal_access_tokens/{(await c.PatAsync("api")).Id}", c.User.Session), new("DELETE", $"/api/v4/personal_access_tokens/{Missing}", c.User.Session)],
            ["GitLabGetCurrentUser"] = c => Task.FromResult(new OpenApiExample[]
            {
                new("GET", "/api/v4/user", c.User.Session),
                new("GET", "/api/v4/user", c.User.Session) { Headers = new Dictionary<string, string> { ["Sudo"] = "root" } },
            }),
            ["GitLabGetUser"] = c => Task.FromResult(new OpenApiExample[] { new("GET", $"/api/v4/users/{c.User.Id}", c.User.Session), new("GET", $"/api/v4/users/{Missing}", c.User.Session) }),
            ["GitLabCreateOwnPersonalAccessToken"] = c => Task.FromResult(new[]
            {
                new OpenApiExample("POST", "/api/v4/user/personal_access_tokens", c.User.Session) { Body = "name=agent&scopes%5B%5D=k8s_proxy", ContentType = Form },
                new OpenApiExample("POST", "/api/v4/user/personal_access_tokens", c.User.Session) { Body = "scopes%5B%5D=k8s_proxy", ContentType = Form },
                new OpenApiExample("POST", "/api/v4/user/personal_access_tokens", c.User.Session) { Body = "name", ContentType = "text/plain" },
            }),
            ["GitLabCreatePersonalAccessToken"] = c => Task.FromResult(new[]
            {
                new OpenApiExample("POST", $"/api/v4/users/{c.User.Id}/personal_access_tokens", c.Admin) { Body = """{"name":"ci","scopes":["read_api"]}""" },
                new OpenApiExample("POST", $"/api/v4/users/{Missing}/personal_access_tokens", c.Admin) { Body = """{"name":"ci","scopes":["read_api"]}""" },
                new OpenApiExample("POST", $"/api/v4/users/{c.User.Id}/personal_access_tokens", c.User.Session) { Body = """{"name":"ci","scopes":["read_api"]}""" },
            }),

            // Unleash.
            ["UnleashCreatePat"] = c => Task.FromResult(new[]
            {
                new OpenApiExample("POST", "/api/admin/user/tokens", c.User.Session) { Body = """{"description":"ci","expiresAt":"2099-01-01T00:00:00.000Z"}""" },
                new OpenApiExample("POST", "/api/admin/user/tokens", c.User.Session) { Body = "{}" },
                new OpenApiExample("POST", "/api/admin/user/tokens", c.User.Session) { Body = "{" },
                new OpenApiExample("POST", "/api/admin/user/tokens", c.User.Session) { Body = "x", ContentType = "text/plain" },
            }),
            ["UnleashGetPats"] = c => Task.FromResult(new OpenApiExample[] { new("GET", "/api/admin/user/tokens", c.User.Session), new("GET", "/api/admin/user/tokens", "user:not-a-token") }),
            ["UnleashDeletePat"] = async c => [
                new("DELETE", $"/api/admin/user/tokens/{await c.UnleashPatAsync()}", c.User.Session),
                new("DELETE", "/api/admin/user/tokens/abc", c.User.Session),
                new("DELETE", $"/api/admin/user/tokens/{Missing}", c.User.Session),
            ],

            // SailPoint's token endpoint.
            ["SailPointOAuthToken"] = async c =>
            {
                var (id, secret) = await c.SailPointPatAsync();
                return [
                    new("POST", "/oauth/token", null) { Body = $"grant_type=client_credentials&client_id={id}&client_secret={Uri.EscapeDataString(secret)}", ContentType = Form },
                    new("POST", "/oauth/token", null) { Body = $"grant_type=client_credentials&client_id={id}&client_secret=wrong", ContentType = Form },
                    new("POST", "/oauth/token", null) { Body = $"client_id={id}", ContentType = Form },
                ];
            },

            // RFC 7662 introspection and RFC 7009 revocation (the library's endpoints).
            ["OAuthIntrospect"] = async c =>
            {
                var (_, secret) = await c.PatAsync("read_api");
                var (_, introspector) = await c.PatAsync("introspect");
                return [
                    new("POST", "/oauth/introspect", introspector) { Body = $"token={secret}", ContentType = Form },
                    new("POST", "/oauth/introspect", introspector) { Body = "token=lk_not-a-token", ContentType = Form },
                    new("POST", "/oauth/introspect", introspector) { Body = "token_type_hint=access_token", ContentType = Form },
                    new("POST", "/oauth/introspect", (await c.PatAsync("api")).Secret) { Body = $"token={secret}", ContentType = Form },
                ];
            },
            ["OAuthRevoke"] = async c =>
            {
                var (_, secret) = await c.PatAsync("read_api");
                return [
                    new("POST", "/oauth/revoke", null) { Body = $"token={secret}", ContentType = Form },
                    new("POST", "/oauth/revoke", null) { Body = "token=lk_not-a-token", ContentType = Form },
                    new("POST", "/oauth/revoke", null) { Body = "token=", ContentType = Form },
                ];
            },

            // Talkover (Laravel Sanctum).
            ["SanctumCreateApiToken"] = c => Task.FromResult(new[]
            {
                new OpenApiExample("POST", "/api/v1/user/api-tokens", c.User.Session) { Body = """{"name":"ci","abilities":["read_api"]}""" },
                new OpenApiExample("POST", "/api/v1/user/api-tokens", c.User.Session) { Body = "{}" },
            }),
            ["SanctumListApiTokens"] = async c => [new("GET", "/api/v1/user/api-tokens", c.User.Session), new("GET", "/api/v1/user/api-tokens", (await c.PatAsync("api")).Secret)],
            ["SanctumRevokeApiToken"] = async c => [new("DELETE", $"/api/v1/user/api-tokens/{(await c.PatAsync("api")).Id}", c.User.Session), new("DELETE", $"/api/v1/user/api-tokens/{Missing}", c.User.Session)],
        };

        // SailPoint's PAT API is the same under each version.
        foreach (var (path, label) in new[] { ("v3", "V3"), ("beta", "Beta"), ("v2024", "V2024") })
        {
            var tokens = $"/{path}/personal-access-tokens";
            table[$"SailPoint{label}CreatePersonalAccessToken"] = c => Task.FromResult(new[]
            {
                new OpenApiExample("POST", tokens, c.User.Session) { Body = """{"name":"ci","expirationDate":"2099-01-01T00:00:00.000Z"}""" },
                new OpenApiExample("POST", tokens, c.User.Session) { Body = """{"expirationDate":"2099-01-01T00:00:00.000Z"}""" },
                new OpenApiExample("POST", tokens, c.User.Session) { Body = "name", ContentType = "text/plain" },
            });
            table[$"SailPoint{label}ListPersonalAccessTokens"] = c => Task.FromResult(new OpenApiExample[]
            {
                new("GET", $"{tokens}?owner-id=me", c.User.Session),
                new("GET", $"{tokens}?owner-id=me&filters=nonsense", c.User.Session),
                new("GET", tokens, c.User.Session),
            });
            table[$"SailPoint{label}PatchPersonalAccessToken"] = async c =>
            {
                var (id, _) = await c.SailPointPatAsync();
                const string Rename = """[{"op":"replace","path":"/name","value":"renamed"}]""";
                return [
                    new("PATCH", $"{tokens}/{id}", c.User.Session) { Body = Rename, ContentType = JsonPatch },
                    new("PATCH", $"{tokens}/{Missing}", c.User.Session) { Body = Rename, ContentType = JsonPatch },
                    new("PATCH", $"{tokens}/{id}", c.User.Session) { Body = Rename },
                    new("PATCH", $"{tokens}/{id}", c.User.Session) { Body = """[{"op":"remove","path":"/owner"}]""", ContentType = JsonPatch },
                ];
            };
            table[$"SailPoint{label}DeletePersonalAccessToken"] = async c => [
                new("DELETE", $"{tokens}/{(await c.SailPointPatAsync()).Id}", c.User.Session),
                new("DELETE", $"{tokens}/{Missing}", c.User.Session),
            ];
        }

        return table;
    }

    /// <summary>What an example may arrange before its requests: the shared administrator, and a fresh user.</summary>
    internal sealed class Context(HttpClient client, string admin, TestUser user)
    {
        public HttpClient Client => client;

        public string Admin => admin;

        public TestUser User => user;

        /// <summary>A personal access token of <see cref="User"/>, created through the native API.</summary>
        public async Task<(long Id, string Secret)> PatAsync(params string[] scopes)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tokens") { Content = JsonContent.Create(new { name = $"example-{Guid.NewGuid():N}", scopes }) };
            request.Headers.Authorization = new("Bearer", user.Session);
            var created = await SendAsync(request);
            return (created["id"]!.GetValue<long>(), created["token"]!.GetValue<string>());
        }

        public async Task<(string Id, string Secret)> SailPointPatAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/personal-access-tokens")
            {
                Content = JsonContent.Create(new { name = $"example-{Guid.NewGuid():N}", expirationDate = "2099-01-01T00:00:00.000Z" }),
            };
            request.Headers.Authorization = new("Bearer", user.Session);
            var created = await SendAsync(request);
            return (created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
        }

        public async Task<long> UnleashPatAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/user/tokens")
            {
                Content = JsonContent.Create(new { description = $"example-{Guid.NewGuid():N}", expiresAt = "2099-01-01T00:00:00.000Z" }),
            };
            request.Headers.Authorization = new("Bearer", user.Session);
            return (await SendAsync(request))["id"]!.GetValue<long>();
        }

        /// <summary>Starts enrolling <see cref="User"/> in two-factor authentication; returns the key.</summary>
        public async Task<string> StartEnrolmentAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/user/two_factor");
            request.Headers.Authorization = new("Bearer", user.Session);
            return (await SendAsync(request))["secret"]!.GetValue<string>();
        }

        /// <summary>Turns two-factor authentication on for <see cref="User"/> (their session keeps working).</summary>
        public async Task EnrolAsync()
        {
            var secret = await StartEnrolmentAsync();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/user/two_factor/confirm") { Content = JsonContent.Create(new { otp = CodeNow(secret) }) };
            request.Headers.Authorization = new("Bearer", user.Session);
            await SendAsync(request);
        }

        /// <summary>The current code for a Base32 key (this server runs on the system clock).</summary>
        public static string CodeNow(string secret) => new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow);

        private async Task<JsonObject> SendAsync(HttpRequestMessage request)
        {
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {text}");
            return JsonNode.Parse(text)!.AsObject();
        }
    }
}
