using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Tokens;

[Collection(NativeTokensServer.Name)]
public sealed class ScopeCatalogApiTests
{
    private readonly LatchkeyServerFactory _factory;

    public ScopeCatalogApiTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task The_scope_catalog_lists_every_scope_with_its_meaning_implications_and_admin_only_flag()
    {
        var admin = await _factory.CreateAdminClientAsync();

        using var response = await admin.GetAsync("/api/scopes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scopes = (await response.JsonAsync())!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>());
        foreach (var name in new[] { "*", "api", "read_api", "read_user", "read_repository", "write_repository", "read_registry", "write_registry", "k8s_proxy", "self_rotate", "create_runner", "manage_runner", "ai_features", "sudo", "admin_mode", "introspect" })
        {
            Assert.True(scopes.ContainsKey(name), $"missing {name}");
            Assert.False(string.IsNullOrWhiteSpace(scopes[name]!["description"]!.GetValue<string>()));
        }

        Assert.Contains("read_api", scopes["api"]!["implies"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.True(scopes["sudo"]!["admin_only"]!.GetValue<bool>());
        Assert.False(scopes["introspect"]!["admin_only"]!.GetValue<bool>());
        Assert.DoesNotContain("introspect", scopes["api"]!["implies"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.False(scopes["read_api"]!["admin_only"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_scope_catalog_needs_a_credential()
    {
        using var response = await _factory.CreateClient().GetAsync("/api/scopes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
