using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Latchkey.Storage.Sqlite;
using Latchkey.Stores;
using Latchkey.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.Tests;

/// <summary>
/// A host that registers the pieces itself — <c>AddLatchkeyEngine()</c> and <c>AddAuthentication().AddLatchkey(…)</c> —
/// keeps its own default scheme and result handler, and chooses the scheme name, the events and the cookie.
/// </summary>
public sealed class RegistrationTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("latchkey-registration-tests-").FullName;
    private readonly List<WebApplication> _apps = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<WebApplication> StartAsync(Action<IServiceCollection> register)
    {
        var app = TestApp.Build(new Dictionary<string, string?>(), Directory.CreateDirectory(Path.Combine(_folder, Guid.NewGuid().ToString("N"))).FullName, register: register);
        _apps.Add(app);
        await app.Services.GetRequiredService<IStoreMigrator>().MigrateAsync(CancellationToken.None);
        await app.StartAsync();
        return app;
    }

    private static async Task<(long Id, string Secret)> IssueAsync(IServiceProvider services, params string[] scopes)
    {
        var user = await services.GetRequiredService<IUserStore>().CreateAsync(
            new NewUser($"u{Guid.NewGuid():N}"[..12], null, null, string.Empty, false, DateTimeOffset.UtcNow), CancellationToken.None);
        var result = await services.GetRequiredService<TokenManager>().CreateAsync(
            TokenActor.System, new CreateTokenRequest { UserId = user!.Id, Name = "test", Scopes = scopes }, CancellationToken.None);
        Assert.True(result.Succeeded);
        return (result.Value.Token.Id, result.Value.Secret);
    }

    private static async Task<HttpResponseMessage> GetAsync(WebApplication app, string path, string? bearer = null, Action<HttpRequestMessage>? prepare = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        prepare?.Invoke(request);
        return await app.GetTestClient().SendAsync(request);
    }

    // The host's own sign-in (a cookie) is the default scheme; Latchkey sits beside it under a name of the host's choosing.
    private static void BesideACookieScheme(IServiceCollection services)
    {
        services.AddLatchkeyEngine();
        services.AddAuthentication("Cookies").AddCookie("Cookies").AddLatchkey("Tokens", null);
    }

    [Fact]
    public async Task RequireLatchkey_and_RequireScope_authenticate_with_the_scheme_name_given_to_AddLatchkey()
    {
        var app = await StartAsync(BesideACookieScheme);
        var (id, secret) = await IssueAsync(app.Services, "read_api");

        using var whoami = await GetAsync(app, "/whoami", secret);
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        Assert.StartsWith($"token:{id} ", await whoami.Content.ReadAsStringAsync());

        using var identity = await GetAsync(app, "/identity", secret);
        Assert.Equal("Tokens", await identity.Content.ReadAsStringAsync());

        using var forbidden = await GetAsync(app, "/write", secret);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"api\"", forbidden.Headers.WwwAuthenticate.ToString());

        using var missing = await GetAsync(app, "/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\"", missing.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task AddLatchkey_on_the_authentication_builder_leaves_the_hosts_default_scheme_alone()
    {
        var app = await StartAsync(BesideACookieScheme);
        var (_, secret) = await IssueAsync(app.Services, "read_api");

        var schemes = app.Services.GetRequiredService<IAuthenticationSchemeProvider>();
        Assert.Equal("Cookies", (await schemes.GetDefaultAuthenticateSchemeAsync())?.Name);
        Assert.Equal("Cookies", (await schemes.GetDefaultChallengeSchemeAsync())?.Name);

        // An endpoint without Latchkey's policies does not see the token: only the default (cookie) scheme ran.
        using var open = await GetAsync(app, "/open", secret);
        Assert.Equal("anonymous", await open.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OnMessageReceived_can_read_the_credential_from_a_header_of_the_hosts_choosing()
    {
        var app = await StartAsync(services =>
        {
            services.AddLatchkeyEngine();
            services.AddAuthentication().AddLatchkey(options => options.Events.OnMessageReceived = received =>
            {
                if (received.Request.Headers.TryGetValue("X-Api-Key", out var key))
                {
                    received.Token = key;
                }

                return Task.CompletedTask;
            });
        });
        var (id, secret) = await IssueAsync(app.Services, "read_api");

        using var response = await GetAsync(app, "/whoami", prepare: request => request.Headers.Add("X-Api-Key", secret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith($"token:{id} ", await response.Content.ReadAsStringAsync());

        // The usual positions still work when the event leaves the token alone.
        using var bearer = await GetAsync(app, "/whoami", secret);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
    }

    [Fact]
    public async Task OnMessageReceived_can_refuse_a_request_before_any_credential_is_read()
    {
        var app = await StartAsync(services =>
        {
            services.AddLatchkeyEngine();
            services.AddAuthentication().AddLatchkey(options => options.Events.OnMessageReceived = received =>
            {
                received.NoResult();
                return Task.CompletedTask;
            });
        });
        var (_, secret) = await IssueAsync(app.Services, "read_api");

        using var response = await GetAsync(app, "/whoami", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task OnChallenge_can_answer_with_a_Basic_challenge_as_Git_needs()
    {
        var errors = new List<string?>();
        var app = await StartAsync(services =>
        {
            services.AddLatchkeyEngine();
            services.AddAuthentication().AddLatchkey(options =>
            {
                options.Realm = "Git";
                options.Events.OnChallenge = challenge =>
                {
                    errors.Add(challenge.Error);
                    challenge.WwwAuthenticate = $"Basic realm=\"{challenge.Options.Realm}\"";
                    return Task.CompletedTask;
                };
            });
        });

        using var missing = await GetAsync(app, "/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Basic realm=\"Git\"", missing.Headers.WwwAuthenticate.ToString());

        using var refused = await GetAsync(app, "/whoami", "lk_not_a_token");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Basic realm=\"Git\"", refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal([null, "invalid_token"], errors);
    }

    [Fact]
    public async Task A_token_in_the_named_cookie_authenticates_and_an_explicit_header_wins_over_it()
    {
        var app = await StartAsync(services =>
        {
            services.AddLatchkeyEngine();
            services.AddAuthentication().AddLatchkey(options => options.CookieName = "latchkey");
        });
        var (cookieId, cookieSecret) = await IssueAsync(app.Services, "read_api");
        var (headerId, headerSecret) = await IssueAsync(app.Services, "read_api");

        using var fromCookie = await GetAsync(app, "/whoami", prepare: request => request.Headers.Add("Cookie", $"latchkey={cookieSecret}"));
        Assert.Equal(HttpStatusCode.OK, fromCookie.StatusCode);
        Assert.StartsWith($"token:{cookieId} ", await fromCookie.Content.ReadAsStringAsync());

        using var both = await GetAsync(app, "/whoami", headerSecret, request => request.Headers.Add("Cookie", $"latchkey={cookieSecret}"));
        Assert.StartsWith($"token:{headerId} ", await both.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task No_cookie_is_read_unless_one_is_named()
    {
        var app = await StartAsync(services => services.AddLatchkey());
        var (_, secret) = await IssueAsync(app.Services, "read_api");

        using var response = await GetAsync(app, "/whoami", prepare: request => request.Headers.Add("Cookie", $"latchkey={secret}"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_hosts_result_handler_still_runs_for_everything_but_a_missing_scope()
    {
        var app = await StartAsync(services =>
        {
            services.AddSingleton<IAuthorizationMiddlewareResultHandler, HostResultHandler>();
            services.AddLatchkey();
        });
        var (_, secret) = await IssueAsync(app.Services, "read_api");

        using var allowed = await GetAsync(app, "/whoami", secret);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("ran", allowed.Headers.GetValues(HostResultHandler.Header).Single());

        using var challenged = await GetAsync(app, "/whoami");
        Assert.Equal(HttpStatusCode.Unauthorized, challenged.StatusCode);
        Assert.Equal("ran", challenged.Headers.GetValues(HostResultHandler.Header).Single());

        // Latchkey's own outcome: the 403 names the scope.
        using var forbidden = await GetAsync(app, "/write", secret);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"insufficient_scope\", scope=\"api\"", forbidden.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_host_without_a_hashing_key_fails_at_start_up_naming_the_settings()
    {
        var app = TestApp.Build(new Dictionary<string, string?>(), _folder, hashingKey: false);
        _apps.Add(app);
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("Latchkey:Hashing:Keys", failure.Message);
        Assert.Contains("Latchkey:Hashing:KeyFile", failure.Message);
    }

    [Theory]
    [InlineData("Latchkey:Hashing:Keys:k1", "not base64!", "not valid Base64")]
    [InlineData("Latchkey:Hashing:Keys:k1", "c2hvcnQ=", "at least 32 bytes")]
    public async Task A_broken_hashing_key_fails_at_start_up_with_a_message(string key, string value, string message)
    {
        var app = TestApp.Build(new Dictionary<string, string?> { [key] = value }, _folder, hashingKey: false);
        _apps.Add(app);
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(message, failure.Message);
    }

    [Fact]
    public async Task A_worker_without_ASP_NET_Core_issues_and_validates_tokens_through_AddLatchkeyEngine()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Latchkey:Hashing:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        builder.Services.AddLatchkeyEngine();
        builder.Services.AddLatchkeySqliteStore($"Data Source={Path.Combine(_folder, "worker.db")}");
        using var host = builder.Build();
        await host.Services.GetRequiredService<IStoreMigrator>().MigrateAsync(CancellationToken.None);
        await host.StartAsync();

        var (id, secret) = await IssueAsync(host.Services, "read_api");
        var result = await host.Services.GetRequiredService<TokenValidator>().ValidateAsync(secret, TokenUse.By(null), CancellationToken.None);
        Assert.True(result.Succeeded);
        Assert.Equal(id, result.Token!.TokenId);
        await host.StopAsync();
    }

    /// <summary>A host's own handler: marks every response it handles, then does what the framework does.</summary>
    private sealed class HostResultHandler : IAuthorizationMiddlewareResultHandler
    {
        public const string Header = "X-Host-Handler";

        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            context.Response.Headers[Header] = "ran";
            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
