using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Latchkey.Policy;
using Latchkey.Storage.Sqlite;
using Latchkey.Stores;
using Latchkey.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Latchkey.AspNetCore.Tests;

/// <summary>
/// The smallest application that embeds Latchkey: <c>AddLatchkey()</c> (or a registration of the test's own), the SQLite store on a file of its own,
/// request logging, and a few endpoints that say who is calling. Runs on TestServer.
/// </summary>
public class TestApp : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("latchkey-aspnetcore-tests-").FullName;
    private WebApplication? _app;

    public ConcurrentQueue<string> LogLines { get; } = new();

    public IServiceProvider Services => _app!.Services;

    /// <summary>Configuration a test class wants on top of the defaults (e.g. <c>Latchkey:Authentication:*</c>).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        _app = Build(Settings, _folder, LogLines);
        await _app.Services.GetRequiredService<IStoreMigrator>().MigrateAsync(CancellationToken.None);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public HttpClient CreateClient() => _app!.GetTestClient();

    /// <summary>A user in the store (the password is irrelevant here: nothing signs in).</summary>
    public async Task<User> CreateUserAsync(bool admin = false)
    {
        var users = Services.GetRequiredService<IUserStore>();
        var name = $"u{Guid.NewGuid():N}"[..12];
        return (await users.CreateAsync(new NewUser(name, null, null, "not-a-real-hash", admin, DateTimeOffset.UtcNow), CancellationToken.None))!;
    }

    /// <summary>Issues a token through the engine, as the host application would.</summary>
    public async Task<(long Id, string Secret)> IssueAsync(long userId, params string[] scopes)
    {
        var result = await Services.GetRequiredService<TokenManager>().CreateAsync(
            TokenActor.System,
            new CreateTokenRequest { UserId = userId, Name = "test", Scopes = scopes },
            CancellationToken.None);
        Assert.True(result.Succeeded, result.Succeeded ? null : result.Error.Message);
        return (result.Value.Token.Id, result.Value.Secret);
    }

    public async Task<(long Id, string Secret)> IssueAsync(params string[] scopes) => await IssueAsync((await CreateUserAsync()).Id, scopes);

    /// <param name="register">How the host registers Latchkey; <c>AddLatchkey()</c> when not given.</param>
    /// <param name="hashingKey">Whether to configure a hashing key (a host that forgot one must not start).</param>
    internal static WebApplication Build(
        IReadOnlyDictionary<string, string?> settings,
        string folder,
        ConcurrentQueue<string>? logLines = null,
        Action<IServiceCollection>? register = null,
        bool hashingKey = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        if (hashingKey)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Latchkey:Hashing:Keys:k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            });
        }

        builder.Configuration.AddInMemoryCollection(settings);
        if (logLines is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(new QueueLoggerProvider(logLines));
        }

        (register ?? (services => services.AddLatchkey()))(builder.Services);
        builder.Services.AddLatchkeyRequestLogging();
        builder.Services.AddLatchkeySqliteStore($"Data Source={Path.Combine(folder, "latchkey.db")}");

        var app = builder.Build();
        app.UseHttpLogging();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/open", WhoAmI).AllowAnonymous();
        app.MapGet("/whoami", WhoAmI).RequireLatchkey();
        app.MapGet("/read", WhoAmI).RequireScope("read_api");
        app.MapGet("/write", WhoAmI).RequireScope("api");
        app.MapGet("/admin", WhoAmI).RequireAdministrator();
        app.MapGet("/identity", (HttpContext context) => context.User.Identity!.AuthenticationType).RequireLatchkey();
        app.MapGet("/scheme", async (HttpContext context) =>
        {
            var result = await context.AuthenticateAsync(LatchkeyDefaults.AuthenticationScheme);
            return result.None ? "none" : result.Succeeded ? "success" : $"failure:{result.Failure!.Message}";
        }).AllowAnonymous();

        // A host's own rotate endpoint: only here is a rotated-away credential judged for reuse.
        app.MapPost("/rotate-self", async (HttpContext context, TokenManager manager) =>
        {
            var actor = context.GetTokenActor();
            var result = await manager.RotateAsync(actor, actor.TokenId!.Value, null, context.RequestAborted);
            return result.Succeeded ? Results.Text(result.Value.Secret) : Results.Conflict(result.Error.Message);
        }).RequireLatchkey().DetectsTokenReuse();

        var custom = app.MapGroup("/custom").WithLatchkeyErrors(new RecordingErrorWriter());
        custom.MapGet("/whoami", WhoAmI).RequireLatchkey();
        custom.MapGet("/write", WhoAmI).RequireScope("api");
        custom.MapGet("/admin", WhoAmI).RequireAdministrator();
        return app;
    }

    // "anonymous", or the token id, its owner's id and whether they are an administrator.
    private static string WhoAmI(HttpContext context) => context.GetLatchkeyToken() is { } token
        ? string.Create(CultureInfo.InvariantCulture, $"token:{token.TokenId} user:{token.UserId} admin:{token.IsAdmin}")
        : "anonymous";

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(categoryName, lines);

        public void Dispose()
        {
        }
    }

    private sealed class QueueLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {structured} | {exception}");
        }
    }
}
