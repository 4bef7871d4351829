using Latchkey.Server.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Api;

/// <summary>
/// <c>{"token": "…"}</c>: the secret of a (leaked) token, posted to look it up (<c>/api/administration/tokens/lookup</c>)
/// or revoke it (<c>/api/tokens/revoke</c>) — in a body, never a URL.
/// </summary>
internal sealed class TokenValueBody
{
    public string? Token { get; set; }

    // Keep the secret out of anything that prints the body.
    public override string ToString() => nameof(TokenValueBody);

    /// <summary>The posted secret, or the problem to answer with (an unreadable body, a missing or empty value).</summary>
    public static async Task<(string? Token, IResult? Problem)> ReadAsync(HttpContext context, IOptions<JsonOptions> json)
    {
        var (body, bodyError) = await JsonBody.ReadAsync<TokenValueBody>(context.Request, json.Value.SerializerOptions);
        if (bodyError is not null)
        {
            return (null, ApiProblems.From(bodyError));
        }

        return string.IsNullOrEmpty(body!.Token)
            ? (null, ApiProblems.Validation("token", "token is missing or empty."))
            : (body.Token, null);
    }
}
