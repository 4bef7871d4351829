using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Latchkey.AspNetCore;
using Latchkey.AspNetCore.OAuth;
using Latchkey.Server.Api;
using Latchkey.Server.Dialects.GitLab;
using Latchkey.Server.Dialects.SailPoint;
using Latchkey.Server.Dialects.Sanctum;
using Latchkey.Server.Dialects.Unleash;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Server.Pages;
using Latchkey.Server.Users;
using Latchkey.Storage.Postgres;
using Latchkey.Storage.Sqlite;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Latchkey.Server.Hosting;

/// <summary>Everything the server adds to a <see cref="WebApplicationBuilder"/> and its pipeline, in one place.</summary>
internal static class LatchkeyServerExtensions
{
    private const int MaxRequestBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddLatchkeyServer(this WebApplicationBuilder builder)
    {
        ServerDefaults.AddTo(builder.Configuration);
        var services = builder.Services;

        services.AddLatchkey();
        services.AddLatchkeyRequestLogging();
        AddStore(builder);

        services.AddLatchkeySignInThrottle();
        services.AddReverseProxySupport();
        AddOAuth(services);
        services.AddLatchkeyForwardAuth();
        services.AddSingleton<SecondFactorThrottle>();
        // Authenticator keys are encrypted with the Data Protection keys the UI sets up (AddLatchkeyUi).
        services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        services.AddPasswordCredentialChallenge();
        services.AddSingleton<AdminBootstrapper>();
        services.AddHostedService(sp => sp.GetRequiredService<AdminBootstrapper>());
        services.AddSingleton<AdminPasswordReset>();

        services.AddGitLabDialect();
        services.AddUnleashDialect();
        services.AddSailPointDialect();
        services.AddSanctumDialect();
        builder.AddLatchkeyUi();

        services.ConfigureHttpJsonOptions(options => Configure(options.SerializerOptions));
        services.AddProblemDetails();
        services.AddLatchkeyOpenApi();
        // A bound of its own: a server that does not answer at all (packets dropped) would otherwise hold the probe for
        // the connection string's connect timeout; one that refuses or resets answers at once.
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: ["ready"], timeout: StoreHealthCheck.Timeout)
            .AddCheck<StartedHealthCheck>("started", tags: ["ready"]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        return builder;
    }

    public static WebApplication UseLatchkeyServer(this WebApplication app)
    {
        // First: everything after it (logs, throttles, last-used addresses, links) sees the real client.
        app.UseForwardedHeaders();

        // Outside the exception handler, so the request log shows the status the client got: a request that fails
        // is logged as the 500 (or 400) it was answered with, not as the 200 the response held when it threw.
        app.UseHttpLogging();
        // A store that cannot be reached is answered 503 + Retry-After by the library's handler (registered with the
        // scheme), in the endpoint's own error shape, and logged as one warning line by it.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A request the server could not read (oversized, cut off) is the client's fault, not a 500.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,

            // …so it is not logged as an unhandled error with a stack trace, which anyone could flood the logs with;
            // nor is what a handler answered (the store being unavailable), which logged its own line.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException
                || context.ExceptionHandledBy == ExceptionHandledType.ExceptionHandlerService,
        });
        app.UseStatusCodePages();
        app.UseUiSecurityHeaders();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "Latchkey API v1");
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "Latchkey API";
        });
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

        app.MapSessionApi();
        app.MapUserApi();
        app.MapTwoFactorApi();
        app.MapTokenApi();
        app.MapScopeApi();
        app.MapAuditApi();
        app.MapAdminApi();
        MapOAuth(app);
        app.MapLatchkeyForwardAuth();

        app.MapGitLabDialect();
        app.MapUnleashDialect();
        app.MapSailPointDialect();
        app.MapSanctumDialect();
        app.UseLatchkeyUi();
        return app;
    }

    /// <summary>
    /// Brings the schema up to date, then compares this node's hashing keys with the database's, before serving (the
    /// first administrator follows once listening: <see cref="AdminBootstrapper"/>). A database that cannot be reached
    /// or migrated, or whose schema is newer than this build, stops start-up with one line: the provider's message names
    /// the server or file, never the password. So do hashing keys that do not fit the stored tokens, naming the key id.
    /// </summary>
    public static async Task InitializeLatchkeyAsync(this WebApplication app)
    {
        try
        {
            await app.Services.GetRequiredService<IStoreMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
            await app.Services.GetRequiredService<HashingKeyCheck>().VerifyAsync(app.Lifetime.ApplicationStopping);
        }
        catch (HashingKeyMismatchException mismatch)
        {
            throw new StartupFailure($"Latchkey:Hashing: {mismatch.Message}", mismatch);
        }
        catch (Exception unusable) when (unusable is DbException or InvalidOperationException)
        {
            throw new StartupFailure($"ConnectionStrings:{ServerDefaults.ConnectionStringName}: the database cannot be used: {unusable.Message}", unusable);
        }
    }

    internal static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new UtcDateTimeOffsetConverter());
    }

    // RFC 7662 / 7009 / 8414 from the library; the metadata also advertises the SailPoint dialect's /oauth/token, as
    // it really is: client credentials, the secret as HTTP Basic or as form parameters (OAuth/ClientCredentials).
    private static void AddOAuth(IServiceCollection services)
    {
        services.AddLatchkeyOAuth();
        services.AddOptions<LatchkeyOAuthOptions>().Configure<IOptions<ReverseProxyOptions>>((oauth, proxy) =>
        {
            oauth.Issuer ??= proxy.Value.PublicBaseUri?.AbsoluteUri.TrimEnd('/');
            oauth.TokenEndpoint ??= "/oauth/token";
            if (oauth.GrantTypesSupported.Count == 0)
            {
                oauth.GrantTypesSupported.Add("client_credentials");
            }

            if (oauth.TokenEndpointAuthMethodsSupported.Count == 0)
            {
                oauth.TokenEndpointAuthMethodsSupported.Add("client_secret_basic");
                oauth.TokenEndpointAuthMethodsSupported.Add("client_secret_post");
            }
        });
    }

    private static void MapOAuth(WebApplication app)
    {
        // The library declares no accepted content type (another one must answer 400 invalid_request, not a bare 415),
        // so the document is told about the forms here. The metadata is itself a discovery document, not an API call.
        app.MapLatchkeyIntrospection().DocumentsBody<IntrospectionRequest>(LatchkeyOAuthEndpointRouteBuilderExtensions.FormContentType);
        app.MapLatchkeyRevocation().DocumentsBody<RevocationRequest>(LatchkeyOAuthEndpointRouteBuilderExtensions.FormContentType);
        app.MapLatchkeyAuthorizationServerMetadata().ExcludeFromDescription();
    }

    private static void AddStore(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var provider = configuration[ServerDefaults.StorageProviderKey];
        var connectionString = configuration.GetConnectionString(ServerDefaults.ConnectionStringName);
        if (ServerDefaults.UsesPostgres(configuration))
        {
            // The defaults hold a SQLite file's connection string, which is no answer to "which PostgreSQL server".
            var dataDirectory = Path.GetFullPath(configuration[ServerDefaults.DataDirectoryKey] ?? ServerDefaults.DataDirectory);
            if (string.IsNullOrWhiteSpace(connectionString) || connectionString == ServerDefaults.SqliteConnectionString(dataDirectory))
            {
                throw new StartupFailure(
                    $"{ServerDefaults.StorageProviderKey} is '{ServerDefaults.PostgresProvider}' but ConnectionStrings:{ServerDefaults.ConnectionStringName} is not set; " +
                    "give an Npgsql connection string, e.g. ConnectionStrings__Latchkey='Host=db.internal;Database=latchkey;Username=latchkey;Password=…'.");
            }

            string? host;
            try
            {
                host = new NpgsqlConnectionStringBuilder(connectionString).Host;
            }
            catch (ArgumentException unreadable)
            {
                throw new StartupFailure($"ConnectionStrings:{ServerDefaults.ConnectionStringName} is not an Npgsql connection string: {unreadable.Message}", unreadable);
            }

            if (string.IsNullOrWhiteSpace(host))
            {
                throw new StartupFailure($"ConnectionStrings:{ServerDefaults.ConnectionStringName} names no PostgreSQL server (Host=…).");
            }

            builder.Services.AddLatchkeyPostgresStore(connectionString);

            return;
        }

        if (!string.Equals(provider, ServerDefaults.SqliteProvider, StringComparison.OrdinalIgnoreCase))
        {
            throw new StartupFailure(
                $"{ServerDefaults.StorageProviderKey} '{provider}' is not supported by this build; use '{ServerDefaults.SqliteProvider}' or '{ServerDefaults.PostgresProvider}'.");
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupFailure($"ConnectionStrings:{ServerDefaults.ConnectionStringName} is empty.");
        }

        builder.Services.AddLatchkeySqliteStore(connectionString, options =>
            options.ChangePollInterval = configuration.GetValue("Latchkey:Storage:ChangePollInterval", options.ChangePollInterval));
    }
}
