using Latchkey;
using Latchkey.AspNetCore;
using Latchkey.Policy;
using Latchkey.Storage.Sqlite;
using Latchkey.Stores;
using Latchkey.Users;

var builder = WebApplication.CreateBuilder(args);

// The engine, with its hashing key from Latchkey:Hashing (the app does not start without one), and where tokens live.
builder.Services.AddLatchkeyEngine();
builder.Services.AddLatchkeySqliteStore(builder.Configuration.GetConnectionString("Latchkey")
    ?? throw new InvalidOperationException("Set ConnectionStrings:Latchkey."));
builder.Services.Configure<ScopeCatalogOptions>(catalog => catalog.Scopes.Add(new("reports:read", "Read reports")));

// The scheme, under a name of our choosing; Git clients only send credentials after a Basic challenge.
builder.Services.AddAuthentication().AddLatchkey("Tokens", options => options.Events.OnChallenge = challenge =>
{
    if (challenge.Request.Path.StartsWithSegments("/git"))
    {
        challenge.WwwAuthenticate = $"Basic realm=\"{challenge.Options.Realm}\"";
    }

    return Task.CompletedTask;
});

// Forward-auth for a reverse proxy in front of other services: /auth/verify, rules from Latchkey:ForwardAuth.
builder.Services.AddLatchkeyForwardAuth();

var app = builder.Build();
await app.Services.GetRequiredService<IStoreMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
app.UseAuthentication();
app.UseAuthorization();

// Issues a token to the signed-in user. The sample fakes its sign-in with a header; a real app uses its own cookie.
app.MapPost("/tokens", async (HttpRequest request, IUserStore users, TokenManager tokens, CancellationToken cancellationToken) =>
{
    if (request.Headers["X-Signed-In-As"].ToString() is not { Length: > 0 } username)
    {
        return Results.Unauthorized();
    }

    var owner = await OwnerOfAsync(users, username, cancellationToken);
    var actor = new TokenActor(owner.Id, owner.IsAdmin, ScopeSet.Full, null, request.HttpContext.Connection.RemoteIpAddress?.ToString());
    var scopes = request.Query["scope"].Select(scope => scope!).ToArray();
    var issued = await tokens.CreateAsync(actor, new CreateTokenRequest { Name = "sample", Scopes = scopes }, cancellationToken);
    return issued.Succeeded ? Results.Text(issued.Value.Secret) : Results.BadRequest(issued.Error.Message);
});

app.MapGet("/reports", (HttpContext context) => $"reports for user {context.GetLatchkeyToken()!.UserId}").RequireScope("reports:read");
app.MapGet("/git/info/refs", () => "refs").RequireScope("reports:read");
app.MapLatchkeyForwardAuth();

app.Run();

// Latchkey's owners are its own user records: the app's user "alice" owns tokens as the Latchkey user named "alice",
// created on first use. Nobody signs in to Latchkey with it, so its password hash is empty, which no password matches.
static async Task<User> OwnerOfAsync(IUserStore users, string username, CancellationToken cancellationToken)
    => await users.FindByUsernameAsync(username, cancellationToken)
        ?? await users.CreateAsync(new NewUser(username, null, null, string.Empty, false, DateTimeOffset.UtcNow), cancellationToken)
        ?? (await users.FindByUsernameAsync(username, cancellationToken))!;

/// <summary>Visible to the tests' <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
