using System.Net;
using Latchkey.Browser.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Latchkey.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SecurityTests
{
    private const string ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    private readonly BrowserFixture _fixture;

    public SecurityTests(BrowserFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused_and_creates_nothing()
    {
        var (page, _) = await _fixture.SignedInPageAsync();

        // The browser's own cookies (the session included), as a forged cross-site form would carry them with SameSite=None.
        var forged = await page.APIRequest.PostAsync(TokenPage.Path + "?handler=Create", new()
        {
            Form = FormWith(page, ("name", "forged"), ("scopes", "api")),
            MaxRedirects = 0,
        });

        Assert.Equal(400, forged.Status);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Active personal access tokens (0)", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_session_cookie_is_HttpOnly_SameSite_Lax_for_the_whole_site_and_ends_with_the_session()
    {
        // Signed in through the page: the cookie under test is the one the server sets.
        var user = await _fixture.CreateUserAsync();
        var page = await _fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, user);

        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "latchkey_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        Assert.False(cookie.Secure); // served over plain HTTP here; Secure whenever the request is HTTPS
        Assert.True(cookie.Expires > 0, "the cookie outlives the browser window only as long as the session");
        Assert.Null(await page.EvaluateAsync<string?>("() => document.cookie.split('; ').find(c => c.startsWith('latchkey_session=')) ?? null"));
    }

    [Fact]
    public async Task Pages_send_a_strict_content_security_policy_and_are_never_stored()
    {
        var page = await _fixture.NewPageAsync();
        var signIn = await page.GotoAsync("/users/sign_in");
        AssertUiHeaders(await signIn!.AllHeadersAsync());

        var user = await _fixture.CreateUserAsync();
        await BrowserFixture.SignInAsync(page, user);
        foreach (var path in new[] { TokenPage.Path, "/-/user_settings/account" })
        {
            var response = await page.GotoAsync(path);
            var headers = await response!.AllHeadersAsync();
            AssertUiHeaders(headers);
            Assert.Equal("no-store", headers["cache-control"]);
            Assert.Equal("DENY", headers["x-frame-options"]);
        }

        var css = await page.APIRequest.GetAsync("/css/latchkey.css");
        Assert.Equal(200, css.Status);
        Assert.StartsWith("text/css", css.Headers["content-type"]);
        Assert.Equal("nosniff", css.Headers["x-content-type-options"]);
        var js = await page.APIRequest.GetAsync("/js/latchkey.js");
        Assert.Equal(200, js.Status);
        Assert.Contains("data-copy-target", await js.TextAsync());
    }

    [Fact]
    public async Task The_api_never_reads_the_session_cookie()
    {
        var (page, _) = await _fixture.SignedInPageAsync();
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "latchkey_session");

        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(_fixture.BaseAddress) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tokens") { Content = new StringContent("{\"name\":\"csrf\",\"scopes\":[\"api\"]}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Cookie", $"latchkey_session={cookie.Value}");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task No_secret_is_left_in_the_html_after_its_one_display()
    {
        var (page, _) = await _fixture.SignedInPageAsync();
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "latchkey_session");
        var secret = await TokenPage.CreateAsync(page, "once", ["read_user"]);
        Assert.Contains(secret, await page.ContentAsync());

        foreach (var path in new[] { TokenPage.Path, "/-/user_settings/account", TokenPage.Path })
        {
            await page.GotoAsync(path);
            var html = await page.ContentAsync();
            Assert.DoesNotContain(secret, html);
            Assert.DoesNotContain(cookie.Value, html);
            Assert.DoesNotContain(secret, page.Url);
        }
    }

    private static void AssertUiHeaders(Dictionary<string, string> headers)
    {
        Assert.Equal(ContentSecurityPolicy, headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("same-origin", headers["referrer-policy"]);
    }

    private static IFormData FormWith(IPage page, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Append(name, value);
        }

        return form;
    }
}
