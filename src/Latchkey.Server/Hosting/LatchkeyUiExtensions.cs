using Latchkey.AspNetCore;
using Latchkey.Server.Pages;
using Latchkey.Storage.Postgres;
using Latchkey.Tokens;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;

namespace Latchkey.Server.Hosting;

/// <summary>The web UI: Razor Pages over the engine, signed in with a session cookie, behind its own security headers.</summary>
internal static class LatchkeyUiExtensions
{
    public static WebApplicationBuilder AddLatchkeyUi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // The CSS and JS of a `dotnet run` build are in the project's wwwroot, named by the build's static web assets
        // manifest, which ASP.NET Core reads by itself only in Development; a published server has them in its own wwwroot.
        builder.WebHost.UseStaticWebAssets();

        // Antiforgery tokens (and the two-factor secrets) are protected with these keys: kept, a restart does not break
        // the forms people have open. On PostgreSQL in the database, so that every node reads what another protected;
        // on SQLite (one node) in the data folder.
        var dataProtection = services.AddDataProtection().SetApplicationName("Latchkey");
        if (ServerDefaults.UsesPostgres(builder.Configuration))
        {
            dataProtection.PersistKeysToLatchkeyPostgres();
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(ServerDefaults.DataProtectionKeysFolder(builder.Configuration)));
        }

        services.AddAuthentication().AddLatchkey(UiDefaults.Scheme, options =>
        {
            // The cookie and nothing else: a page never authenticates with a header, nor the API with the cookie.
            // The event decides every request, so the handler's own reading (and its options) never runs here.
            options.Events.OnMessageReceived = context =>
            {
                if (context.Request.Cookies.TryGetValue(UiDefaults.CookieName, out var session) && session.Length > 0)
                {
                    context.Token = session;
                }
                else
                {
                    context.NoResult();
                }

                return Task.CompletedTask;
            };

            // A browser is sent to sign in, and comes back where it was going; a session that ended loses its cookie.
            options.Events.OnChallenge = context =>
            {
                context.HandleResponse();
                if (context.Error is not null)
                {
                    UiSession.End(context.HttpContext);
                }

                var request = context.Request;
                var returnTo = $"{request.PathBase}{request.Path}{request.QueryString}";
                context.Response.Redirect($"{UiDefaults.SignInPath}?{UiDefaults.ReturnToParameter}={Uri.EscapeDataString(returnTo)}");
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(UiDefaults.Policy, policy => policy.AddAuthenticationSchemes(UiDefaults.Scheme).RequireAuthenticatedUser().RequireAssertion(IsSession));

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "latchkey_antiforgery";
            options.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/UserSettings", UiDefaults.Policy);
            // Signed in, like every settings page; whether an administrator is judged by the pages themselves
            // (Admin/AdminPageModel), which answer anyone else 404, not 403: the admin pages are not shown to exist.
            options.Conventions.AuthorizeFolder("/Admin", UiDefaults.Policy);
        });
        services.AddSingleton<SecretSlot>();
        services.AddSingleton<PendingSignIn>();

        // A session that may only enrol in two-factor authentication is sent to do that from every other page.
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(options => options.Filters.Add(new EnrolmentOnlyPageFilter()));
        return builder;
    }

    public static WebApplication UseLatchkeyUi(this WebApplication app)
    {
        app.MapStaticAssets();
        // Pages answer like pages while the store is unavailable (a plain 503 page rather than JSON).
        app.MapRazorPages().WithLatchkeyErrors(UiErrorWriter.Instance);
        return app;
    }

    // A personal access token put in the cookie by hand is not a browser session.
    private static bool IsSession(AuthorizationHandlerContext context)
        => (context.User.Identity as LatchkeyIdentity)?.Token.Kind == TokenKind.Session;
}
