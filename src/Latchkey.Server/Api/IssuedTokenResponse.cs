using System.Text.Json.Serialization;
using Latchkey.Tokens;

namespace Latchkey.Server.Api;

/// <summary>The answer to create and rotate: the token and, this once, its secret (last).</summary>
internal sealed record IssuedTokenResponse : TokenResponse
{
    private IssuedTokenResponse(TokenResponse token, string secret)
        : base(token)
    {
        Token = secret;
    }

    [JsonPropertyOrder(1)]
    public string Token { get; }

    public static IssuedTokenResponse From(IssuedToken issued, DateTimeOffset now) => new(From(issued.Token, now), issued.Secret);

    // Keep the secret out of anything that prints the record.
    public override string ToString() => $"IssuedTokenResponse {{ Id = {Id} }}";
}
