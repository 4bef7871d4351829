using System.Globalization;
using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.SailPoint;

/// <summary>A PAT's expiry and the access tokens exchanged for it, on a clock the test moves forward.</summary>
public sealed class SailPointExpiryTests : IClassFixture<AdjustableClockServerFactory>
{
    private readonly AdjustableClockServerFactory _factory;

    public SailPointExpiryTests(AdjustableClockServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Bringing_a_PATs_expirationDate_forward_brings_its_access_tokens_expiry_with_it()
    {
        var admin = await _factory.AdminAsync();
        var pat = await admin.CreateNeverExpiringPatAsync("expiry-brought-forward");
        var accessToken = (await _factory.CreateClient().ExchangeAsync(pat))["access_token"]!.GetValue<string>();
        var withAccessToken = _factory.CreateClient().WithBearer(accessToken);
        using (var alive = await withAccessToken.GetAsync(SailPointApi.Tokens + "?owner-id=me"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        var expirationDate = _factory.Clock.GetUtcNow().AddMinutes(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        using (var patched = await admin.PatchAsync(pat["id"]!.GetValue<string>(), $$"""[{"op":"replace","path":"/expirationDate","value":"{{expirationDate}}"}]"""))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        // Until then the access token still works, and now says it dies with its PAT.
        using (var self = await withAccessToken.GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
            Assert.Equal(expirationDate, (await self.JsonAsync())!["expires_at"]!.GetValue<string>());
        }

        _factory.Clock.Advance(TimeSpan.FromMinutes(2));

        using var dead = await withAccessToken.GetAsync(SailPointApi.Tokens + "?owner-id=me");
        await dead.AssertErrorAsync(HttpStatusCode.Unauthorized, "401 Unauthorized");
    }
}
