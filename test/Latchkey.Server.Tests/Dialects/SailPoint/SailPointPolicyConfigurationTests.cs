using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.SailPoint;

/// <summary>An operator's rules for SailPoint tokens, set in the dialect's policy section, answered in SailPoint's shape.</summary>
public sealed class SailPointPolicyConfigurationTests : IClassFixture<SailPointPolicyConfigurationTests.ConfiguredFactory>
{
    private readonly ConfiguredFactory _factory;

    public SailPointPolicyConfigurationTests(ConfiguredFactory factory) => _factory = factory;

    [Fact]
    public async Task A_configured_maximum_lifetime_is_enforced_and_the_cause_names_the_last_instant_allowed()
    {
        var admin = await _factory.AdminAsync();
        var before = DateTimeOffset.UtcNow;
        using var response = await admin.PostAsJsonAsync(SailPointApi.Tokens, new { name = "too-long-lived", expirationDate = before.AddDays(60).ToString("O") });
        var after = DateTimeOffset.UtcNow;

        var cause = (await response.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content")).Cause();
        var latest = Regex.Match(cause, @"^expirationDate must be no later than (?<at>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\.$");
        Assert.True(latest.Success, cause);
        Assert.InRange(DateTimeOffset.Parse(latest.Groups["at"].Value, CultureInfo.InvariantCulture), before.AddDays(30).AddMilliseconds(-1), after.AddDays(30));
        Assert.DoesNotContain(await admin.ListPatsAsync(), t => t!["name"]!.GetValue<string>() == "too-long-lived");
    }

    public sealed class ConfiguredFactory : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Dialects:sailpoint:Tokens:MaximumLifetime"] = "30.00:00:00",
        };
    }
}
