using System.Net;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.SailPoint;

/// <summary>GET /personal-access-tokens: owner-id, filters, and what each item shows.</summary>
[Collection(SailPointServer.Name)]
public sealed class SailPointListTests
{
    private readonly LatchkeyServerFactory _factory;

    public SailPointListTests(LatchkeyServerFactory factory) => _factory = factory;

    [Fact]
    public async Task Items_show_lastUsed_and_managed_but_never_the_secret()
    {
        var (user, userId) = await _factory.UserAsync("lister");
        var pat = await user.CreatePatAsync(new { name = "listed", expirationDate = "2097-01-01T00:00:00Z", accessTokenValiditySeconds = 600 });
        var before = (await user.ListPatsAsync()).Single()!;
        Assert.Null(before["lastUsed"]);

        using (var used = await _factory.CreateClient().WithBearer(pat["secret"]!.GetValue<string>()).GetAsync(SailPointApi.Tokens + "?owner-id=me"))
        {
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        var item = (await user.ListPatsAsync()).Single()!.AsObject();
        Assert.Equal(
            ["id", "name", "scope", "owner", "created", "lastUsed", "managed", "accessTokenValiditySeconds", "expirationDate", "userAwareTokenNeverExpires"],
            item.Select(p => p.Key));
        Assert.Equal(pat["id"]!.GetValue<string>(), item["id"]!.GetValue<string>());
        Assert.Equal("listed", item["name"]!.GetValue<string>());
        Assert.Equal(["sp:scopes:all"], item["scope"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(userId.ToString(), item["owner"]!["id"]!.GetValue<string>());
        Assert.Equal("lister person", item["owner"]!["name"]!.GetValue<string>());
        Assert.Equal(pat["created"]!.GetValue<string>(), item["created"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", item["lastUsed"]!.GetValue<string>());
        Assert.False(item["managed"]!.GetValue<bool>());
        Assert.Equal(600, item["accessTokenValiditySeconds"]!.GetValue<int>());
        Assert.Equal("2097-01-01T00:00:00.000Z", item["expirationDate"]!.GetValue<string>());
        Assert.False(item["userAwareTokenNeverExpires"]!.GetValue<bool>());
        Assert.DoesNotContain(pat["secret"]!.GetValue<string>(), item.ToJsonString());
    }

    [Fact]
    public async Task Filters_select_tokens_by_last_use()
    {
        var (user, _) = await _factory.UserAsync("filterer");
        var used = await user.CreateNeverExpiringPatAsync("used");
        var unused = await user.CreateNeverExpiringPatAsync("unused");
        using (var call = await _factory.CreateClient().WithBearer(used["secret"]!.GetValue<string>()).GetAsync(SailPointApi.Tokens + "?owner-id=me"))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        // Last use is written in batches; the filter reads what is written.
        await _factory.GetService<TokenUsageRecorder>().FlushAsync(CancellationToken.None);

        static IEnumerable<string> Names(System.Text.Json.Nodes.JsonArray items) => items.Select(t => t!["name"]!.GetValue<string>()).Order();
        Assert.Equal(["unused"], Names(await user.ListPatsAsync("?owner-id=me&filters=lastUsed%20isnull")));
        Assert.Equal(["used"], Names(await user.ListPatsAsync("?owner-id=me&filters=" + Uri.EscapeDataString($"lastUsed le {DateTime.UtcNow.AddMinutes(1):O}"))));
        Assert.Empty(await user.ListPatsAsync("?owner-id=me&filters=" + Uri.EscapeDataString("lastUsed le 2020-01-01T00:00:00Z")));
        Assert.Empty(await user.ListPatsAsync("?owner-id=me&filters=" + Uri.EscapeDataString($"lastUsed le {DateTime.UtcNow.AddMinutes(1):O} and lastUsed isnull")));

        // "le" includes the very instant of the last use.
        var lastUsed = (await user.ListPatsAsync()).Single(t => t!["name"]!.GetValue<string>() == "used")!["lastUsed"]!.GetValue<string>();
        Assert.Equal(["used"], Names(await user.ListPatsAsync("?owner-id=me&filters=" + Uri.EscapeDataString($"lastUsed le {lastUsed}"))));
        Assert.NotNull(unused);
    }

    [Theory]
    [InlineData("name eq \"x\"")]
    [InlineData("lastUsed gt 2020-01-01T00:00:00Z")]
    [InlineData("lastUsed le soon")]
    [InlineData("lastUsed isnull or lastUsed le 2020-01-01T00:00:00Z")]
    public async Task Unsupported_filters_are_a_400(string filters)
    {
        var admin = await _factory.AdminAsync();
        using var response = await admin.GetAsync($"{SailPointApi.Tokens}?owner-id=me&filters={Uri.EscapeDataString(filters)}");

        await response.AssertErrorAsync(HttpStatusCode.BadRequest, "400.1 Bad Request Content");
    }

    [Fact]
    public async Task A_user_lists_only_their_own_tokens_and_may_not_ask_for_anyone_elses()
    {
        var admin = await _factory.AdminAsync();
        var adminPat = await admin.CreateNeverExpiringPatAsync("admins-own");
        var (user, userId) = await _factory.UserAsync("ordinary");
        var userPat = await user.CreateNeverExpiringPatAsync("users-own");

        var mine = await user.ListPatsAsync();
        Assert.Equal([userPat["id"]!.GetValue<string>()], mine.Select(t => t!["id"]!.GetValue<string>()));
        Assert.Single(await user.ListPatsAsync($"?owner-id={userId}"));

        foreach (var query in new[] { string.Empty, "?owner-id=1", "?owner-id=2c9180867b50d088017b554662fb281e" })
        {
            using var response = await user.GetAsync(SailPointApi.Tokens + query);
            var error = await response.AssertErrorAsync(HttpStatusCode.Forbidden, "403 Forbidden");
            Assert.DoesNotContain(adminPat["id"]!.GetValue<string>(), error.ToJsonString());
        }
    }

    [Fact]
    public async Task An_administrator_lists_everyones_tokens_or_one_owners()
    {
        var admin = await _factory.AdminAsync();
        var adminPat = await admin.CreateNeverExpiringPatAsync("admin-listing");
        var (user, userId) = await _factory.UserAsync("listed-by-admin");
        var userPat = await user.CreateNeverExpiringPatAsync("seen-by-admin");

        var everyone = (await admin.ListPatsAsync(string.Empty)).Select(t => t!["id"]!.GetValue<string>()).ToArray();
        Assert.Contains(adminPat["id"]!.GetValue<string>(), everyone);
        Assert.Contains(userPat["id"]!.GetValue<string>(), everyone);

        var theirs = await admin.ListPatsAsync($"?owner-id={userId}");
        Assert.Equal([userPat["id"]!.GetValue<string>()], theirs.Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal("listed-by-admin person", theirs.Single()!["owner"]!["name"]!.GetValue<string>());

        Assert.Empty(await admin.ListPatsAsync("?owner-id=2c9180867b50d088017b554662fb281e"));
        Assert.Empty(await admin.ListPatsAsync("?owner-id=999999"));
    }

    [Fact]
    public async Task An_administrators_token_without_the_all_tokens_scope_lists_only_its_owners()
    {
        var admin = await _factory.AdminAsync();
        var mineOnly = await admin.CreateNeverExpiringPatAsync("mine-only", "sp:my-personal-access-tokens:manage");
        var client = _factory.CreateClient().WithBearer(mineOnly["secret"]!.GetValue<string>());

        using var everyone = await client.GetAsync(SailPointApi.Tokens);
        await everyone.AssertErrorAsync(HttpStatusCode.Forbidden, "403 Forbidden");
        Assert.NotEmpty(await client.ListPatsAsync());
    }

    [Fact]
    public async Task Deleted_tokens_are_not_listed_and_tokens_made_elsewhere_are()
    {
        var admin = await _factory.AdminAsync();
        var deleted = await admin.CreateNeverExpiringPatAsync("to-delete");
        using (var delete = await admin.DeleteAsync($"{SailPointApi.Tokens}/{deleted["id"]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        var expires = DateTime.UtcNow.AddDays(100).ToString("yyyy-MM-dd");
        var native = await admin.CreateTokenAsync(new { name = "made-natively", scopes = new[] { "*" }, expires_at = expires });

        var listed = await admin.ListPatsAsync();
        Assert.DoesNotContain(listed, t => t!["id"]!.GetValue<string>() == deleted["id"]!.GetValue<string>());
        var item = listed.Single(t => t!["name"]!.GetValue<string>() == "made-natively")!;
        Assert.Equal(["sp:scopes:all"], item["scope"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(43200, item["accessTokenValiditySeconds"]!.GetValue<int>());
        Assert.Equal($"{expires}T00:00:00.000Z", item["expirationDate"]!.GetValue<string>());
        Assert.NotNull(native);
    }
}
