using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>A token in the list: never its secret.</summary>
internal sealed record ApiTokenResponse(string Id, string Name, IReadOnlyList<string> Abilities, string? LastUsedAt, string CreatedAt)
{
    public static ApiTokenResponse From(PersonalAccessToken token) => new(
        SanctumJson.FormatId(token.Id),
        token.Name,
        token.Scopes,
        token.LastUsedAt is { } used ? SanctumJson.Format(used) : null,
        SanctumJson.Format(token.CreatedAt));
}
