using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Sanctum;

/// <summary>
/// Sanctum's <c>expiration</c> setting: an operator can make Talkover tokens expire through the dialect's policy
/// section, without touching other APIs' defaults.
/// </summary>
public sealed class TalkoverPolicyConfigurationTests : IClassFixture<TalkoverPolicyConfigurationTests.ExpiringTokensFactory>
{
    private readonly ExpiringTokensFactory _factory;

    public TalkoverPolicyConfigurationTests(ExpiringTokensFactory factory) => _factory = factory;

    [Fact]
    public async Task Configured_tokens_expire_after_the_dialects_default_lifetime()
    {
        var admin = await _factory.AdminAsync();

        var created = await admin.CreateApiTokenAsync(new { name = "expiring" });

        using var native = await admin.GetAsync($"/api/tokens/{created["id"]!.GetValue<string>()}");
        var expiresAt = DateTimeOffset.Parse((await native.JsonAsync())!["expires_at"]!.GetValue<string>());
        Assert.InRange(expiresAt, DateTimeOffset.UtcNow.AddDays(7).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(1));
    }

    public sealed class ExpiringTokensFactory : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:Dialects:sanctum:Tokens:DefaultNeverExpires"] = "false",
            ["Latchkey:Dialects:sanctum:Tokens:DefaultLifetime"] = "7.00:00:00",
        };
    }
}
