using Latchkey.AspNetCore.ForwardAuth;
using Latchkey.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.Tests.ForwardAuth;

/// <summary><c>Latchkey:ForwardAuth</c> settings that cannot work stop start-up with a message naming the key.</summary>
public sealed class ForwardAuthOptionsValidationTests
{
    private static readonly ScopeCatalog Catalog = new(Options.Create(new ScopeCatalogOptions()));

    private static IReadOnlyList<string> Failures(Dictionary<string, string?> settings)
    {
        var options = new LatchkeyForwardAuthOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(LatchkeyForwardAuthOptions.SectionName).Bind(options);
        var result = new LatchkeyForwardAuthOptionsValidator(Catalog).Validate(null, options);
        return result.Failed ? [.. result.Failures!] : [];
    }

    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "Rules:2:Scopes:0", "raed_api", "Latchkey:ForwardAuth:Rules:2:Scopes:0 'raed_api' is not a known scope" },
        { "Default:Scopes:0", "everything", "Latchkey:ForwardAuth:Default:Scopes:0 'everything' is not a known scope" },
        { "Rules:2:PathPattern", "^/api/(", "Latchkey:ForwardAuth:Rules:2:PathPattern '^/api/(' is not a valid regular expression" },
        { "Rules:2:PathPattern", "^/(?=admin)", "Latchkey:ForwardAuth:Rules:2:PathPattern '^/(?=admin)' uses a construct" },
        { "Rules:2:PathPrefix", "api/", "Latchkey:ForwardAuth:Rules:2:PathPrefix 'api/' must start with '/'" },
        { "Rules:2:Challenge", "Digest", "Latchkey:ForwardAuth:Rules:2:Challenge 'Digest' is not one of Bearer, Basic" },
        { "Default:Challenge", "NTLM", "Latchkey:ForwardAuth:Default:Challenge 'NTLM' is not one of Bearer, Basic" },
        { "Rules:2:Methods:0", "GE T", "Latchkey:ForwardAuth:Rules:2:Methods:0 'GE T' is not an HTTP method" },
        { "Rules:2:Host", "https://app.example.com", "Latchkey:ForwardAuth:Rules:2:Host 'https://app.example.com' is not a host name" },
        { "Rules:2:Host", "app.*.example.com", "Latchkey:ForwardAuth:Rules:2:Host 'app.*.example.com' is not a host name" },
        { "Realm", "say \"hi\"", "Latchkey:ForwardAuth:Realm" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_is_refused_naming_its_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Latchkey:ForwardAuth:Rules:0:PathPrefix"] = "/ok/",
            ["Latchkey:ForwardAuth:Rules:1:Host"] = "*.example.com",
            ["Latchkey:ForwardAuth:Rules:2:PathPrefix"] = key.StartsWith("Rules:2:Path", StringComparison.Ordinal) ? null : "/x/",
            [$"Latchkey:ForwardAuth:{key}"] = value,
        };

        var failure = Assert.Single(Failures(settings));
        Assert.StartsWith(expected, failure);
    }

    [Theory]
    [InlineData("PathPattern", "^/a/", "Latchkey:ForwardAuth:Rules:0 sets both PathPrefix and PathPattern")]
    [InlineData("Scopes:0", "read_api", "Latchkey:ForwardAuth:Rules:0 is Anonymous and also requires Scopes")]
    [InlineData("Deny", "true", "Latchkey:ForwardAuth:Rules:0 is both Anonymous and Deny")]
    public void Contradictions_within_a_rule_are_refused(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Latchkey:ForwardAuth:Rules:0:PathPrefix"] = "/a/",
            ["Latchkey:ForwardAuth:Rules:0:Anonymous"] = key == "PathPattern" ? null : "true",
            [$"Latchkey:ForwardAuth:Rules:0:{key}"] = value,
        };

        Assert.StartsWith(expected, Assert.Single(Failures(settings)));
    }

    [Fact]
    public void Sensible_rules_and_no_rules_at_all_pass()
    {
        Assert.Empty(Failures([]));
        Assert.Empty(Failures(new()
        {
            ["Latchkey:ForwardAuth:Realm"] = "Acme",
            ["Latchkey:ForwardAuth:Git:AllowPasswords"] = "true",
            ["Latchkey:ForwardAuth:Rules:0:Host"] = "*.example.com",
            ["Latchkey:ForwardAuth:Rules:0:PathPattern"] = "^/v[0-9]+/(users|groups)/",
            ["Latchkey:ForwardAuth:Rules:0:Methods:0"] = "GET",
            ["Latchkey:ForwardAuth:Rules:0:Methods:1"] = "PROPFIND",
            ["Latchkey:ForwardAuth:Rules:0:Scopes:0"] = "read_api",
            ["Latchkey:ForwardAuth:Rules:0:Scopes:1"] = "read_user",
            ["Latchkey:ForwardAuth:Rules:0:Challenge"] = "Basic",
            ["Latchkey:ForwardAuth:Rules:1:PathPrefix"] = "/health",
            ["Latchkey:ForwardAuth:Rules:1:Anonymous"] = "true",
            ["Latchkey:ForwardAuth:Rules:2:Deny"] = "true",
            ["Latchkey:ForwardAuth:Default:Scopes:0"] = "api",
        }));
    }
}
