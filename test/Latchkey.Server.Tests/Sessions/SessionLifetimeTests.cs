using System.Net;
using System.Net.Http.Json;
using Latchkey.Server.Tests.Infrastructure;
using static Latchkey.Server.Tests.Infrastructure.Dates;

namespace Latchkey.Server.Tests.Sessions;

/// <summary><c>Latchkey:SessionLifetime</c>: a session dies when configured, checked by moving the server's clock past it.</summary>
public sealed class SessionLifetimeTests : IClassFixture<SessionLifetimeTests.Factory>
{
    private readonly Factory _factory;

    public SessionLifetimeTests(Factory factory) => _factory = factory;

    public sealed class Factory : AdjustableClockServerFactory
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Latchkey:SessionLifetime"] = "00:00:01.500",
        };
    }

    [Fact]
    public async Task A_session_stops_working_once_the_configured_lifetime_is_over()
    {
        var before = DateTimeOffset.UtcNow;
        using var signIn = await _factory.CreateClient().PostAsJsonAsync("/api/session", new { username = "admin", password = LatchkeyServerFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.Created, signIn.StatusCode);
        var body = (await signIn.JsonAsync())!;
        Assert.InRange(Instant(body["expires_at"]), before.AddSeconds(1), DateTimeOffset.UtcNow.AddSeconds(2));

        var client = _factory.CreateClient(body["token"]!.GetValue<string>());
        using (var fresh = await client.GetAsync("/api/user"))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode); // and now it is cached
        }

        _factory.Clock.AdvancePast(Instant(body["expires_at"]));

        using var expired = await client.GetAsync("/api/user");
        await ProblemAssert.ProblemAsync(expired, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer realm=\"Latchkey\", error=\"invalid_token\"", expired.Headers.WwwAuthenticate.ToString());
    }
}
