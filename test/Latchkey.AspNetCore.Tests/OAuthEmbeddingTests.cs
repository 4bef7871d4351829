using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Latchkey.AspNetCore.OAuth;
using Latchkey.Policy;
using Latchkey.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.AspNetCore.Tests;

/// <summary>The OAuth endpoints in an application that embeds Latchkey: registered and mapped by the host, under its own scheme name.</summary>
public sealed class OAuthEmbeddingTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("latchkey-oauth-embedding-tests-").FullName;
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

    [Fact]
    public async Task The_metadata_advertises_only_the_endpoints_the_host_mapped_and_no_token_endpoint_it_lacks()
    {
        var app = await StartAsync(app =>
        {
            app.MapLatchkeyIntrospection();
            app.MapLatchkeyAuthorizationServerMetadata();
        });

        var metadata = (await app.GetTestClient().GetFromJsonAsync<JsonObject>("/.well-known/oauth-authorization-server"))!;

        Assert.Equal("http://localhost/oauth/introspect", metadata["introspection_endpoint"]!.GetValue<string>());
        Assert.False(metadata.ContainsKey("revocation_endpoint"));
        Assert.False(metadata.ContainsKey("token_endpoint"));
        // Omitted, RFC 8414 would mean authorization_code and implicit: an app without a token endpoint offers no grant.
        Assert.Empty(metadata["grant_types_supported"]!.AsArray());
        Assert.Empty(metadata["response_types_supported"]!.AsArray());
    }

    [Fact]
    public async Task Introspection_works_under_the_hosts_own_scheme_name_and_names_the_missing_scope()
    {
        var app = await StartAsync(app => app.MapLatchkeyOAuth());
        var (_, target) = await IssueAsync(app, "read_api");
        var (_, introspector) = await IssueAsync(app, ScopeCatalog.Introspect);
        var (_, reader) = await IssueAsync(app, "read_api");

        using var allowed = await Introspect(app, introspector, target);
        using var refused = await Introspect(app, reader, target);

        Assert.True((await allowed.Content.ReadFromJsonAsync<JsonObject>())!["active"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("scope=\"introspect\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Mapping_the_endpoints_without_registering_them_fails_naming_the_missing_call()
    {
        var app = TestApp.Build(new Dictionary<string, string?>(), _folder);
        _apps.Add(app);

        var error = Assert.Throws<InvalidOperationException>(() => app.MapLatchkeyOAuth());

        Assert.Contains("AddLatchkeyOAuth()", error.Message, StringComparison.Ordinal);
    }

    private async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var app = TestApp.Build(new Dictionary<string, string?>(), _folder, register: services =>
        {
            services.AddLatchkeyEngine();
            services.AddAuthentication().AddLatchkey("Tokens", null);
            services.AddLatchkeyOAuth();
        });
        _apps.Add(app);
        map(app);
        await app.Services.GetRequiredService<IStoreMigrator>().MigrateAsync(CancellationToken.None);
        await app.StartAsync();
        return app;
    }

    private static async Task<(long Id, string Secret)> IssueAsync(WebApplication app, params string[] scopes)
    {
        var user = await app.Services.GetRequiredService<IUserStore>().CreateAsync(
            new Latchkey.Users.NewUser($"u{Guid.NewGuid():N}"[..12], null, null, "not-a-real-hash", false, DateTimeOffset.UtcNow),
            CancellationToken.None);
        var result = await app.Services.GetRequiredService<TokenManager>().CreateAsync(
            TokenActor.System,
            new CreateTokenRequest { UserId = user!.Id, Name = "test", Scopes = scopes },
            CancellationToken.None);
        return (result.Value!.Token.Id, result.Value.Secret);
    }

    private static async Task<HttpResponseMessage> Introspect(WebApplication app, string caller, string token)
    {
        var client = app.GetTestClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", caller);
        return await client.PostAsync("/oauth/introspect", new FormUrlEncodedContent([new("token", token)]));
    }
}
