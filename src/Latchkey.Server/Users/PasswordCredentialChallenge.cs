using System.Text;
using Latchkey.AspNetCore;
using Latchkey.Server.Dialects.GitLab;
using Latchkey.Tokens;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Latchkey.Server.Users;

/// <summary>
/// Words the 401 for HTTP Basic whose password is not a token at all — an account password, which is what Git and
/// many scripts send — as "a personal access token is required", the message GitLab gives users with two-factor
/// authentication. Only tokens authenticate here, never passwords, so this is said for any such credential, whoever
/// the username names: looking the user up to say it only to those with two-factor authentication would tell anyone
/// which accounts have it. It runs in the challenge, so a request that authenticates pays nothing for it.
/// </summary>
internal static class PasswordCredentialChallenge
{
    public const string Error = "personal_access_token_required";

    public const string Message = "Passwords are not accepted here: use a personal access token as the password (or in 'Authorization: Bearer'). "
        + "With two-factor authentication enabled, personal access tokens are the only way to authenticate.";

    private static readonly GitLabMessage GitLabBody = new("401 Unauthorized - HTTP Basic: Access denied. You must use a personal access token with 'api' or 'read_repository' scope, not your password. " + Message);

    /// <summary>Hooks into the server's scheme, after any challenge handler already there.</summary>
    public static IServiceCollection AddPasswordCredentialChallenge(this IServiceCollection services)
        => services.PostConfigure<LatchkeyAuthenticationOptions>(LatchkeyDefaults.AuthenticationScheme, options =>
        {
            var previous = options.Events.OnChallenge;
            options.Events.OnChallenge = async context =>
            {
                await previous(context);
                if (!context.Handled)
                {
                    await ChallengeAsync(context);
                }
            };
        });

    private static async Task ChallengeAsync(LatchkeyChallengeContext context)
    {
        if (context.Error is null || !IsBasicWithPassword(context.Request))
        {
            return;
        }

        var writer = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<ILatchkeyErrorWriter>();
        if (writer is not (null or ProblemDetailsErrorWriter or GitLabErrorWriter))
        {
            return; // another product's API: its own wording of a refused credential stands
        }

        context.HandleResponse();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        if (!string.IsNullOrEmpty(context.WwwAuthenticate))
        {
            response.Headers.Append(HeaderNames.WWWAuthenticate, context.WwwAuthenticate);
        }

        if (writer is GitLabErrorWriter)
        {
            await response.WriteAsJsonAsync(GitLabBody);
            return;
        }

        var problem = new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = "Personal access token required", Detail = Message };
        problem.Extensions["error"] = Error;
        var service = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
    }

    // Basic whose password part is not shaped like any token Latchkey issues (checksum aside): a password, not a mistyped token.
    private static bool IsBasicWithPassword(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        var password = colon < 0 ? decoded : decoded[(colon + 1)..];
        return colon > 0 && password.Length > 0 && !TokenFormat.HasTokenShape(password);
    }
}
