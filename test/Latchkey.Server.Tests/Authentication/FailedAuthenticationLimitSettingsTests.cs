using System.Net;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Tokens;

namespace Latchkey.Server.Tests.Authentication;

/// <summary><c>Latchkey:FailedAuthentication</c> switched off, and values that cannot work.</summary>
public sealed class FailedAuthenticationLimitSettingsTests
{
    private sealed class Factory(IReadOnlyDictionary<string, string?> settings) : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => settings;
    }

    [Fact]
    public async Task Switched_off_no_number_of_failures_leads_to_a_429()
    {
        using var factory = new Factory(new Dictionary<string, string?>
        {
            ["Latchkey:FailedAuthentication:Enabled"] = "false",
            ["Latchkey:FailedAuthentication:PermitLimit"] = "1",
        });
        var keyId = factory.GetService<TokenHasher>().CurrentKeyId;
        for (var i = 0; i < 5; i++)
        {
            using var response = await factory.CreateClient(TokenFormat.Generate("lk_", keyId)).GetAsync("/api/tokens/self");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Theory]
    [InlineData("Latchkey:FailedAuthentication:PermitLimit", "0")]
    [InlineData("Latchkey:FailedAuthentication:Window", "00:00:00")]
    [InlineData("Latchkey:FailedAuthentication:Window", "-00:01:00")]
    public void An_unusable_limit_fails_start_up_naming_it(string key, string value)
    {
        using var factory = new Factory(new Dictionary<string, string?> { [key] = value });
        var failure = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains(key, failure.Message);
    }
}
