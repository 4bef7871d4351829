using Latchkey.AspNetCore;
using Latchkey.AspNetCore.OAuth;
using Latchkey.Server.Hosting.OpenApi;
using Latchkey.Server.Http;
using Latchkey.Server.OAuth;
using Latchkey.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// <c>POST /oauth/token</c>, the client-credentials grant SailPoint clients use to sign in with a personal access
/// token: the client id is the token's id, the client secret its secret. The answer is a short-lived access token
/// that the engine derives from the PAT: same owner and scopes, living the PAT's <c>accessTokenValiditySeconds</c>,
/// never past the PAT's own expiry, and revoked with it.
/// </summary>
internal static class OAuthTokenEndpoint
{
    private const string ClientCredentialsGrant = "client_credentials";
    private const string BadCredentials = "Bad client credentials";

    public static RouteHandlerBuilder MapOAuthToken(this IEndpointRouteBuilder routes)
        => routes.MapPost("/oauth/token", IssueAsync)
            .AllowAnonymous()
            .ReadsClientCredentials()
            // Nobody is challenged here; the writer shapes the 503 while the store cannot be reached.
            .WithLatchkeyErrors(OAuthErrorWriter.Instance)
            .DisableAntiforgery()
            .WithTags("SailPoint OAuth")
            .WithName("SailPointOAuthToken")
            .WithSummary("Exchange a personal access token (client_id = its id, client_secret = its secret) for an access token.")
            .DocumentsBody<OAuthTokenRequest>("application/x-www-form-urlencoded").WithParameters(DocumentedParameters.OAuthToken)
            .Produces<OAuthTokenResponse>().Produces<OAuthError>(StatusCodes.Status400BadRequest).Produces<OAuthError>(StatusCodes.Status401Unauthorized);

    private static async Task<IResult> IssueAsync(HttpContext context, TokenValidator validator, LatchkeyFailureLimiter failures, TokenManager manager, TimeProvider time)
    {
        IFormCollection? form = null;
        if (context.Request.HasFormContentType)
        {
            (form, var bodyError) = await RequestBody.ReadFormAsync(context.Request);
            if (bodyError is not null)
            {
                return bodyError.Kind == BodyErrorKind.TooLarge
                    ? Error(StatusCodes.Status413PayloadTooLarge, "invalid_request", "The request body is too large.")
                    : Error(StatusCodes.Status400BadRequest, "invalid_request", "The request body could not be read as a form.");
            }
        }

        var outcome = ClientCredentials.Read(context.Request, form, out var client);
        if (!ClientCredentials.TryReadParameter(context.Request, form, "grant_type", out var grantType) || outcome == ClientCredentialsOutcome.RepeatedParameter)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "A parameter was sent more than once.");
        }

        if (outcome == ClientCredentialsOutcome.MoreThanOneMethod)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "The client authenticated in more than one way (HTTP Basic and parameters).");
        }

        if (string.IsNullOrEmpty(grantType))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "Missing grant type.");
        }

        // SailPoint's documentation spells the grant CLIENT_CREDENTIALS; its server takes either case.
        if (!grantType.Equals(ClientCredentialsGrant, StringComparison.OrdinalIgnoreCase))
        {
            return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", $"Unsupported grant type; only {ClientCredentialsGrant} is supported.");
        }

        if (client is null)
        {
            return InvalidClient(context);
        }

        // The same budget of failed authentications as every other endpoint: guessing secrets here costs the same.
        var address = context.Connection.RemoteIpAddress;
        var ipAddress = address?.ToString();
        var judged = failures.IsLimited(address, out var retryAfter)
            ? validator.ValidateCached(client.Secret, TokenUse.By(ipAddress))
            : await validator.ValidateAsync(client.Secret, TokenUse.By(ipAddress), context.RequestAborted);
        if (judged is not { } validated)
        {
            context.Response.SetRetryAfter(retryAfter);
            return Error(StatusCodes.Status429TooManyRequests, "temporarily_unavailable", "Too many failed attempts from this address; wait before trying again.");
        }

        if (!validated.Succeeded
            || validated.Token!.Kind != TokenKind.Personal
            || !string.Equals(validated.Token.PublicId, client.Id, StringComparison.Ordinal))
        {
            failures.RecordFailure(address);
            return InvalidClient(context);
        }

        // The token was just validated, so its record comes from the validated-token cache, not a second store read.
        var pat = await manager.GetCurrentAsync(validated.Token, context.RequestAborted);
        if (!pat.Succeeded)
        {
            return InvalidClient(context);
        }

        var validity = SailPointTokenAttributes.ValiditySeconds(pat.Value);
        var issued = await manager.ExchangeAsync(pat.Value, TimeSpan.FromSeconds(validity), ipAddress, context.RequestAborted);
        if (!issued.Succeeded)
        {
            return InvalidClient(context);
        }

        context.Response.SetNoStore();
        var token = issued.Value.Token;
        var expiresIn = (long)Math.Round((token.ExpiresAt!.Value - time.GetUtcNow()).TotalSeconds);
        var identity = SailPointIds.Identity(token.UserId);
        return TypedResults.Json(
            new OAuthTokenResponse(
                issued.Value.Secret,
                "bearer",
                Math.Max(0, expiresIn),
                string.Join(' ', SailPointScopes.ToWire(token.Scopes)),
                Internal: false,
                StrongAuthSupported: false,
                identity,
                identity,
                StrongAuth: false,
                Enabled: true,
                token.PublicId),
            SailPointJson.Options);
    }

    // One answer for every way the credentials can be wrong, so the endpoint says nothing about which part was.
    private static JsonHttpResult<OAuthError> InvalidClient(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"oauth\", error=\"invalid_client\"";
        return Error(StatusCodes.Status401Unauthorized, "invalid_client", BadCredentials);
    }

    private static JsonHttpResult<OAuthError> Error(int status, string error, string description)
        => TypedResults.Json(new OAuthError(error, description), SailPointJson.Options, statusCode: status);
}
