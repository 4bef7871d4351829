using System.Net;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Tokens;

namespace Latchkey.Server.Tests.Authentication;

/// <summary><c>Latchkey:FailedAuthentication</c> switched off (values that cannot work: <c>StartupTests</c>).</summary>
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
}
