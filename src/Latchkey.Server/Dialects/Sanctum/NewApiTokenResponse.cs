using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>The answer to create: the seed's fields, and the plain-text token this once.</summary>
internal sealed record NewApiTokenResponse(string Id, string Name, IReadOnlyList<string> Abilities, string Token, string CreatedAt)
{
    public static NewApiTokenResponse From(IssuedToken issued)
    {
        var id = SanctumJson.FormatId(issued.Token.Id);
        return new(id, issued.Token.Name, issued.Token.Scopes, $"{id}|{issued.Secret}", SanctumJson.Format(issued.Token.CreatedAt));
    }

    // Keep the token out of anything that prints a record.
    public override string ToString() => $"NewApiTokenResponse {{ Id = {Id} }}";
}
