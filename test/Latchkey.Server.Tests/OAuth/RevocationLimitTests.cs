using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.OAuth;

/// <summary>The per-address limit on revocation requests (<c>Latchkey:OAuth:RevocationPermitLimit</c>).</summary>
public sealed class RevocationLimitTests : IClassFixture<RevocationLimitTests.Server>
{
    private readonly Server _factory;

    public RevocationLimitTests(Server factory) => _factory = factory;

    [Fact]
    public async Task An_address_over_its_revocation_budget_gets_429_with_retry_after_whatever_it_sends_and_others_do_not()
    {
        var (secret, _, _) = await _factory.PatAsync("read_api");
        var hammering = _factory.CreateClient().WithClientAddress("203.0.113.90");
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await hammering.RevokeAsync("lk_" + new string('e', 38));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var refused = await hammering.RevokeAsync(secret);
        using var elsewhere = await _factory.CreateClient().WithClientAddress("203.0.113.91").RevokeAsync("lk_" + new string('e', 38));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("temporarily_unavailable", (await refused.JsonAsync())!["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        using var stillWorks = await _factory.CreateClient(secret).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    public sealed class Server : LatchkeyServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:OAuth:RevocationPermitLimit"] = "3",
            ["Latchkey:OAuth:RevocationWindow"] = "00:10:00",
        };
    }
}
