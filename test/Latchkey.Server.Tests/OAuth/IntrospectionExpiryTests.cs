using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.OAuth;

/// <summary>Introspection judged against the server's clock: an expired token is as inactive as an unknown one.</summary>
public sealed class IntrospectionExpiryTests : IClassFixture<AdjustableClockServerFactory>
{
    private readonly AdjustableClockServerFactory _factory;

    public IntrospectionExpiryTests(AdjustableClockServerFactory factory) => _factory = factory;

    [Fact]
    public async Task An_expired_token_answers_exactly_active_false()
    {
        var (secret, _, _) = await _factory.PatAsync("read_api");
        var (introspector, _, _) = await _factory.PatAsync("introspect");
        var expiresAt = DateTimeOffset.UtcNow.AddDays(30).Date;
        using (var before = await _factory.CreateClient(introspector).IntrospectAsync(secret))
        {
            Assert.True((await before.JsonAsync())!["active"]!.GetValue<bool>());
        }

        // Both expire on the same day: the resource server signs in afresh with Basic, as a client would with a new secret.
        _factory.Clock.AdvancePast(new DateTimeOffset(expiresAt, TimeSpan.Zero));
        var admin = await _factory.CreateClient().SignInAsync();
        using var response = await _factory.CreateClient(admin).IntrospectAsync(secret);

        Assert.Equal("""{"active":false}""", await response.Content.ReadAsStringAsync());
    }
}
