using Latchkey.AspNetCore.ForwardAuth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.Tests.ForwardAuth;

/// <summary>Which requirement a request meets: the Git rules first, then the configured rules in order, then the default.</summary>
public sealed class ForwardAuthRuleSetTests
{
    private static ForwardAuthRuleSet Rules(Dictionary<string, string?> settings)
    {
        var options = new LatchkeyForwardAuthOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(LatchkeyForwardAuthOptions.SectionName).Bind(options);
        return new ForwardAuthRuleSet(Options.Create(options));
    }

    private static readonly ForwardAuthRuleSet Configured = Rules(new()
    {
        ["Latchkey:ForwardAuth:Rules:0:PathPrefix"] = "/static/",
        ["Latchkey:ForwardAuth:Rules:0:Anonymous"] = "true",
        ["Latchkey:ForwardAuth:Rules:1:Host"] = "admin.example.com",
        ["Latchkey:ForwardAuth:Rules:1:Scopes:0"] = "api",
        ["Latchkey:ForwardAuth:Rules:2:Host"] = "*.example.com",
        ["Latchkey:ForwardAuth:Rules:2:PathPattern"] = "^/v[0-9]+/",
        ["Latchkey:ForwardAuth:Rules:2:Methods:0"] = "PUT",
        ["Latchkey:ForwardAuth:Rules:2:Scopes:0"] = "write_registry",
        ["Latchkey:ForwardAuth:Rules:3:PathPrefix"] = "/",
        ["Latchkey:ForwardAuth:Rules:3:Methods:0"] = "DELETE",
        ["Latchkey:ForwardAuth:Rules:3:Deny"] = "true",
        ["Latchkey:ForwardAuth:Default:Scopes:0"] = "read_user",
        ["Latchkey:ForwardAuth:Default:Challenge"] = "basic",
    });

    [Theory]
    [InlineData("GET", "any.host", "/static/app.js", "rule 0")]
    [InlineData("GET", "ADMIN.example.com", "/static/app.js", "rule 0")]
    [InlineData("GET", "admin.example.com", "/users", "rule 1")]
    [InlineData("PUT", "registry.example.com", "/v2/image/manifests/1", "rule 2")]
    [InlineData("put", "a.b.example.com", "/v10/x", "rule 2")]
    [InlineData("GET", "registry.example.com", "/v2/image/manifests/1", "default")]
    [InlineData("PUT", "example.com", "/v2/image", "default")]
    [InlineData("PUT", "registry.example.org", "/v2/image", "default")]
    [InlineData("PUT", "registry.example.com", "/api/v2/image", "default")]
    [InlineData("DELETE", "other.host", "/anything", "rule 3")]
    [InlineData("GET", "other.host", "/anything", "default")]
    public void The_first_matching_rule_wins_and_the_default_takes_the_rest(string method, string host, string path, string expected)
        => Assert.Equal(expected, Configured.Match(method, host, path, default).Name);

    [Theory]
    [InlineData("GET", "/demo.git/info/refs", "service=git-upload-pack", "read_repository")]
    [InlineData("GET", "/group/sub/demo.git/info/refs", "service=git-receive-pack", "write_repository")]
    [InlineData("GET", "/demo.git/info/refs", "a=1&service=git-upload-pack&service=git-receive-pack", "write_repository")]
    [InlineData("GET", "/demo.git/info/refs", "%73ervice=git-receive-pack", "write_repository")]
    [InlineData("GET", "/demo.git/info/refs", "", "read_repository")]
    [InlineData("POST", "/demo.git/git-upload-pack", "", "read_repository")]
    [InlineData("POST", "/demo.git/git-receive-pack", "", "write_repository")]
    [InlineData("DELETE", "/static/demo.git/git-receive-pack", "", "write_repository")]
    public void Git_paths_meet_the_git_rules_before_any_configured_rule(string method, string path, string query, string scope)
    {
        var requirement = Configured.Match(method, "admin.example.com", path, query);
        Assert.True(requirement.Git);
        Assert.True(requirement.Basic);
        Assert.Equal([scope], requirement.Scopes);
        Assert.Equal("Basic realm=\"Latchkey\"", requirement.Challenge);
    }

    [Theory]
    [InlineData("/demo.git/info/refs/extra")]
    [InlineData("/demo/info/refs")]
    [InlineData("/demo.GIT/git-upload-pack")]
    [InlineData("/demo.git/objects/info/packs")]
    public void Paths_that_only_look_like_git_fall_through_to_the_configured_rules(string path)
        => Assert.False(Configured.Match("GET", "other.host", path, default).Git);

    [Fact]
    public void With_the_git_rules_off_git_paths_meet_the_configured_rules()
    {
        var rules = Rules(new() { ["Latchkey:ForwardAuth:Git:Enabled"] = "false" });
        var requirement = rules.Match("POST", "h", "/demo.git/git-receive-pack", default);
        Assert.Equal(("default", false, 0), (requirement.Name, requirement.Git, requirement.Scopes.Length));
    }

    [Fact]
    public void With_nothing_configured_any_valid_credential_passes_under_a_Bearer_challenge()
    {
        var requirement = Rules([]).Match("GET", "h", "/", default);
        Assert.Equal(("default", 0, false, false, false), (requirement.Name, requirement.Scopes.Length, requirement.Anonymous, requirement.Deny, requirement.Basic));
        Assert.Equal("Bearer realm=\"Latchkey\"", requirement.Challenge);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"invalid_token\"", requirement.InvalidTokenChallenge);
    }

    [Fact]
    public void A_scope_listed_twice_is_required_once()
    {
        var rules = Rules(new()
        {
            ["Latchkey:ForwardAuth:Rules:0:Scopes:0"] = "api",
            ["Latchkey:ForwardAuth:Rules:0:Scopes:1"] = "api",
        });
        Assert.Equal(["api"], rules.Match("GET", "h", "/", default).Scopes);
    }

    [Fact]
    public void The_realm_is_named_in_every_challenge()
    {
        var rules = Rules(new() { ["Latchkey:ForwardAuth:Realm"] = "Acme Git" });
        Assert.Equal("Basic realm=\"Acme Git\"", rules.Match("POST", "h", "/x.git/git-upload-pack", default).Challenge);
        Assert.Equal(
            "Bearer realm=\"Acme Git\", error=\"insufficient_scope\", scope=\"read_repository\"",
            rules.Match("POST", "h", "/x.git/git-upload-pack", default).InsufficientScopeChallenges["read_repository"]);
    }

    [Theory]
    [InlineData("/demo.git/git-receive-pack", "/demo.git/git-receive-pack")]
    [InlineData("/demo.%67it/git-receive-pack", "/demo.git/git-receive-pack")]
    [InlineData("/a//b///c", "/a/b/c")]
    [InlineData("/a/./b/../c/", "/a/c/")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/caf%C3%A9", "/caf\u00e9")]
    [InlineData("/a%2Fb", "/a/b")]
    [InlineData("/.well-known/x", "/.well-known/x")]
    [InlineData("/", "/")]
    public void Paths_are_matched_as_the_proxy_and_the_service_see_them(string raw, string expected)
    {
        Assert.True(ForwardAuthPath.TrySplit(raw + "?q=%41", out var path, out var query));
        Assert.Equal(expected, path.ToString());
        Assert.Equal("q=%41", query.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("relative/path")]
    [InlineData("//evil.example/")]
    [InlineData("http://evil.example/")]
    [InlineData("/..")]
    [InlineData("/a/../../b")]
    [InlineData("/%")]
    [InlineData("/%4")]
    [InlineData("/%GG")]
    [InlineData("/%C3%28")]
    [InlineData("/%00")]
    [InlineData("/a b")]
    [InlineData("/caf\u00e9")]
    public void What_is_not_an_origin_form_path_is_refused(string raw)
        => Assert.False(ForwardAuthPath.TrySplit(raw, out _, out _));

    [Theory]
    [InlineData("app.example.com", "app.example.com")]
    [InlineData("app.example.com:8443", "app.example.com")]
    [InlineData("app.example.com.", "app.example.com")]
    [InlineData(" app.example.com , proxy.internal", "app.example.com")]
    [InlineData("[::1]:8080", "[::1]")]
    public void The_host_is_the_first_forwarded_one_without_its_port(string header, string expected)
        => Assert.Equal(expected, ForwardAuthPath.Host(header).ToString());
}
