using System.Net;
using System.Text.Json.Nodes;
using Latchkey.Server.Tests.Infrastructure;
using static Latchkey.Server.Tests.Infrastructure.Dates;

namespace Latchkey.Server.Tests.Tokens;

/// <summary><c>last_used_at</c> and <c>last_used_ips</c>: shown at once (pending use overlaid), then written in a batch.</summary>
[Collection(NativeTokensServer.Name)]
public sealed class TokenUsageTests
{
    private readonly LatchkeyServerFactory _factory;

    public TokenUsageTests(LatchkeyServerFactory factory) => _factory = factory;

    private static async Task<JsonObject> GetAsync(HttpClient client, long id)
    {
        using var response = await client.GetAsync($"/api/tokens/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync())!.AsObject();
    }

    private static string[] Ips(JsonObject token) => token["last_used_ips"]!.AsArray().Select(ip => ip!.GetValue<string>()).ToArray();

    private async Task UseAsync(string secret, string address)
    {
        using var response = await _factory.CreateClient(secret).WithClientAddress(address).GetAsync("/api/tokens/self");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Last_use_and_addresses_show_right_after_use_and_survive_the_batched_write()
    {
        var owner = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await owner.CreateTokenAsync(new { name = "used", scopes = new[] { "read_api" } });
        var id = token["id"]!.GetValue<long>();
        var secret = token["token"]!.GetValue<string>();
        Assert.Null((await GetAsync(owner, id))["last_used_at"]);

        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await UseAsync(secret, "203.0.113.1");
        await UseAsync(secret, "203.0.113.2");
        await UseAsync(secret, "203.0.113.1");

        var pending = await GetAsync(owner, id);
        var lastUsed = Instant(pending["last_used_at"]);
        Assert.InRange(lastUsed, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(["203.0.113.2", "203.0.113.1"], Ips(pending));

        using (var list = await owner.GetAsync("/api/tokens"))
        {
            var listed = (await list.JsonAsync())!.AsArray().Single(t => t!["id"]!.GetValue<long>() == id)!.AsObject();
            Assert.Equal(pending["last_used_at"]!.GetValue<string>(), listed["last_used_at"]!.GetValue<string>());
            Assert.Equal(Ips(pending), Ips(listed));
        }

        var recorder = _factory.GetService<TokenUsageRecorder>();
        await recorder.FlushAsync(CancellationToken.None);

        var written = await GetAsync(owner, id);
        Assert.Equal(pending["last_used_at"]!.GetValue<string>(), written["last_used_at"]!.GetValue<string>());
        Assert.Equal(Ips(pending), Ips(written));

        // Straight from the store, not the overlay.
        var stored = await _factory.GetService<Stores.ITokenStore>().FindAsync(id, CancellationToken.None);
        Assert.Equal(["203.0.113.2", "203.0.113.1"], stored!.LastUsedIps);
        Assert.NotNull(stored.LastUsedAt);
    }

    [Fact]
    public async Task Only_the_last_five_distinct_addresses_are_kept_newest_first()
    {
        var owner = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await owner.CreateTokenAsync(new { name = "roaming", scopes = new[] { "read_api" } });
        var secret = token["token"]!.GetValue<string>();
        for (var i = 1; i <= 7; i++)
        {
            await UseAsync(secret, $"198.51.100.{i}");
        }

        await _factory.GetService<TokenUsageRecorder>().FlushAsync(CancellationToken.None);
        Assert.Equal(
            ["198.51.100.7", "198.51.100.6", "198.51.100.5", "198.51.100.4", "198.51.100.3"],
            Ips(await GetAsync(owner, token["id"]!.GetValue<long>())));
    }

    [Fact]
    public async Task IPv6_addresses_are_recorded_too()
    {
        var owner = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await owner.CreateTokenAsync(new { name = "v6", scopes = new[] { "read_api" } });
        await UseAsync(token["token"]!.GetValue<string>(), "2001:db8::1");
        Assert.Equal(["2001:db8::1"], Ips(await GetAsync(owner, token["id"]!.GetValue<long>())));
    }

    [Fact]
    public async Task A_refused_request_is_not_a_use()
    {
        var owner = _factory.CreateClient(await _factory.CreateUserAsync());
        var token = await owner.CreateTokenAsync(new { name = "idle", scopes = new[] { "read_api" } });
        var secret = token["token"]!.GetValue<string>();
        var typo = secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a');
        using (var refused = await _factory.CreateClient(typo).GetAsync("/api/tokens/self"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Null((await GetAsync(owner, token["id"]!.GetValue<long>()))["last_used_at"]);
    }
}
