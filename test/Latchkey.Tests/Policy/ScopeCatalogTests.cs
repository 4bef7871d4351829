using Latchkey.Policy;
using Microsoft.Extensions.Options;

namespace Latchkey.Tests.Policy;

public sealed class ScopeCatalogTests
{
    private readonly ScopeCatalog _catalog = new(Options.Create(new ScopeCatalogOptions()));

    [Theory]
    [InlineData("read_api")]
    [InlineData("read_user")]
    [InlineData("read_repository")]
    [InlineData("write_repository")]
    [InlineData("read_registry")]
    [InlineData("write_registry")]
    [InlineData("create_runner")]
    [InlineData("manage_runner")]
    [InlineData("k8s_proxy")]
    [InlineData("ai_features")]
    [InlineData("self_rotate")]
    public void Api_grants_every_scope_below_it(string scope)
    {
        Assert.True(_catalog.Expand(["api"]).Grants(scope));
    }

    [Theory]
    [InlineData("sudo")]
    [InlineData("admin_mode")]
    [InlineData("introspect")]
    [InlineData("*")]
    public void Api_does_not_grant_administrator_scopes_introspection_or_full_access(string scope)
    {
        var granted = _catalog.Expand(["api"]);

        Assert.False(granted.Grants(scope));
        Assert.False(granted.IsFullAccess);
    }

    [Theory]
    [InlineData("read_user", true)]
    [InlineData("read_repository", true)]
    [InlineData("read_registry", true)]
    [InlineData("read_api", true)]
    [InlineData("api", false)]
    [InlineData("write_repository", false)]
    [InlineData("write_registry", false)]
    [InlineData("self_rotate", false)]
    public void Read_api_grants_reading_only(string scope, bool granted)
    {
        Assert.Equal(granted, _catalog.Expand(["read_api"]).Grants(scope));
    }

    [Theory]
    [InlineData("write_repository", "read_repository")]
    [InlineData("write_registry", "read_registry")]
    public void Write_grants_the_matching_read(string write, string read)
    {
        Assert.True(_catalog.Expand([write]).Grants(read));
        Assert.False(_catalog.Expand([read]).Grants(write));
    }

    [Fact]
    public void Write_repository_grants_nothing_beyond_repositories()
    {
        var granted = _catalog.Expand(["write_repository"]);

        Assert.False(granted.Grants("read_api"));
        Assert.False(granted.Grants("read_registry"));
        Assert.False(granted.Grants("read_user"));
    }

    [Fact]
    public void Introspect_is_in_the_catalog_for_anyone_and_implied_by_no_other_scope()
    {
        Assert.True(_catalog.Contains(ScopeCatalog.Introspect));
        Assert.False(_catalog.IsAdminOnly(ScopeCatalog.Introspect));
        Assert.Equal([ScopeCatalog.Introspect], _catalog.All.Where(d => d.Name != ScopeCatalog.FullAccess && _catalog.Expand([d.Name]).Grants(ScopeCatalog.Introspect)).Select(d => d.Name));
    }

    [Fact]
    public void Full_access_grants_anything_even_scopes_the_catalog_does_not_know()
    {
        var granted = _catalog.Expand(["read_user", ScopeCatalog.FullAccess]);

        Assert.True(granted.IsFullAccess);
        Assert.True(granted.Grants("sudo"));
        Assert.True(granted.Grants("some_host_scope"));
        Assert.Same(ScopeSet.Full, granted);
    }

    [Fact]
    public void Scopes_the_catalog_does_not_know_grant_nothing()
    {
        var granted = _catalog.Expand(["nope", ""]);

        Assert.False(granted.Grants("nope"));
        Assert.False(granted.IsFullAccess);
    }

    [Fact]
    public void Several_scopes_grant_the_union_of_what_each_grants()
    {
        var granted = _catalog.Expand(["read_user", "write_registry"]);

        Assert.True(granted.Grants("read_user"));
        Assert.True(granted.Grants("read_registry"));
        Assert.False(granted.Grants("read_repository"));
    }

    [Theory]
    [InlineData(new[] { "api" }, new[] { "read_api" }, true)]
    [InlineData(new[] { "api" }, new[] { "read_repository", "write_registry" }, true)]
    [InlineData(new[] { "api" }, new[] { "api" }, true)]
    [InlineData(new[] { "read_api" }, new[] { "api" }, false)]
    [InlineData(new[] { "read_api" }, new[] { "write_repository" }, false)]
    [InlineData(new[] { "read_api" }, new[] { "read_user", "read_repository" }, true)]
    [InlineData(new[] { "write_repository" }, new[] { "read_api" }, false)]
    [InlineData(new[] { "api" }, new[] { "sudo" }, false)]
    [InlineData(new[] { "api" }, new[] { "*" }, false)]
    [InlineData(new[] { "*" }, new[] { "*" }, true)]
    [InlineData(new[] { "*" }, new[] { "sudo", "api" }, true)]
    [InlineData(new[] { "read_user" }, new string[0], true)]
    public void Covers_is_the_scope_ceiling(string[] holder, string[] requested, bool covered)
    {
        Assert.Equal(covered, _catalog.Expand(holder).Covers(_catalog.Expand(requested)));
    }

    [Fact]
    public void A_host_can_add_its_own_scope_with_implications()
    {
        var options = new ScopeCatalogOptions();
        options.Scopes.Add(new ScopeDefinition("deploy", "Deploy releases.", ["read_repository"]));
        var catalog = new ScopeCatalog(Options.Create(options));

        Assert.True(catalog.Contains("deploy"));
        Assert.True(catalog.Expand(["deploy"]).Grants("read_repository"));
        Assert.False(catalog.Expand(["api"]).Grants("deploy"));
        Assert.Contains(catalog.All, d => d.Name == "deploy");
    }

    [Fact]
    public void A_scope_that_implies_an_unknown_scope_is_refused_at_start_up()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ScopeCatalog([new ScopeDefinition("deploy", "Deploy.", ["missing"])]));

        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Implications_that_loop_are_followed_once()
    {
        var catalog = new ScopeCatalog(
        [
            new ScopeDefinition("a", "A.", ["b"]),
            new ScopeDefinition("b", "B.", ["c"]),
            new ScopeDefinition("c", "C.", ["a"]),
        ]);

        var granted = catalog.Expand(["b"]);

        Assert.True(granted.Grants("a"));
        Assert.True(granted.Grants("c"));
    }

    [Theory]
    [InlineData("sudo", true)]
    [InlineData("admin_mode", true)]
    [InlineData("api", false)]
    [InlineData("*", false)]
    [InlineData("nope", false)]
    public void Only_sudo_and_admin_mode_are_for_administrators(string scope, bool adminOnly)
    {
        Assert.Equal(adminOnly, _catalog.IsAdminOnly(scope));
    }

    [Fact]
    public void The_catalog_lists_its_scopes_by_name()
    {
        var names = _catalog.All.Select(d => d.Name).ToArray();

        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains("api", names);
        Assert.Contains(ScopeCatalog.FullAccess, names);
    }
}
