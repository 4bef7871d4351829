using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Latchkey.Testing;
using Microsoft.Playwright;

namespace Latchkey.Browser.Tests.Infrastructure;

/// <summary>
/// ONE server and ONE headless Chromium (Debian's, at <see cref="ChromiumPath"/>; nothing is downloaded) for the
/// whole run, with the helpers every page test needs: a fresh user, a signed-in page, an axe check.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static int _counter;

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TimingSensitiveLock? _timingLock;
    private string? _adminSession;

    public BrowserServerFactory Server { get; } = new();

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public string BaseAddress => Server.BaseAddress;

    public async Task InitializeAsync()
    {
        // Chromium keeps both cores busy: not while another test project measures something in wall-clock time.
        _timingLock = await TimingSensitiveLock.AcquireAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true });
        _adminSession = await SignInOverApiAsync("admin", BrowserServerFactory.AdminPassword);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        _timingLock?.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>A page in a browser context of its own (its own cookies), 1280×800 unless told otherwise.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        return await context.NewPageAsync();
    }

    /// <summary>A client for the server's APIs (no cookies: what a script or CI job would use).</summary>
    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseAddress) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>A new user with a unique name, created by the administrator over the API.</summary>
    public async Task<TestUser> CreateUserAsync(bool admin = false, string? username = null)
    {
        username ??= $"user{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";
        using var client = CreateClient(_adminSession);
        using var response = await client.PostAsJsonAsync("/api/users", new { username, password = TestUser.DefaultPassword, email = $"{username}@example.com", name = username, admin });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create user answered {(int)response.StatusCode}: {text}");
        return new TestUser(JsonNode.Parse(text)!["id"]!.GetValue<long>(), username, TestUser.DefaultPassword, admin);
    }

    /// <summary>Signs <paramref name="user"/> in through the sign-in page, as a person would, and waits for their tokens page.</summary>
    public static async Task SignInAsync(IPage page, TestUser user)
    {
        await page.GotoAsync("/users/sign_in");
        await page.GetByLabel("Username").FillAsync(user.Username);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/-/user_settings/personal_access_tokens");
    }

    /// <summary>
    /// A new user, signed in on a new page that shows their tokens. The session comes from the API and is handed to
    /// the browser as its cookie: the sign-in page itself is tested by the tests that call <see cref="SignInAsync"/>.
    /// </summary>
    public async Task<(IPage Page, TestUser User)> SignedInPageAsync(bool admin = false, int width = 1280, int height = 800)
    {
        var user = await CreateUserAsync(admin);
        var session = await SignInOverApiAsync(user.Username, user.Password);
        var page = await NewPageAsync(width, height);
        await page.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "latchkey_session", Value = session, Url = BaseAddress, HttpOnly = true, SameSite = SameSiteAttribute.Lax }]);
        await page.GotoAsync("/-/user_settings/personal_access_tokens");
        return (page, user);
    }

    /// <summary>Runs axe-core on the page as it is now: no serious or critical violation may remain.</summary>
    public static async Task AssertNoAxeViolationsAsync(IPage page)
    {
        var results = await page.RunAxe();
        var blocking = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(blocking.Count == 0, $"axe found on {page.Url}:\n" + string.Join("\n", blocking.Select(v =>
            $"- {v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    /// <summary>A session over the API, as a script would sign in.</summary>
    public async Task<string> SignInOverApiAsync(string username, string password)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/api/session", new { username, password });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"sign in answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["token"]!.GetValue<string>();
    }
}
