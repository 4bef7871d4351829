using System.Text.Json.Serialization;
using Latchkey.Tokens;

namespace Latchkey.Server.Dialects.Unleash;

/// <summary>
/// Unleash's <c>patSchema</c>, its properties in the order Unleash 7.5.1 writes them. <see cref="Secret"/> is set
/// only in the response to create and left out of the JSON otherwise, as Unleash leaves it out.
/// </summary>
internal sealed record UnleashPat(
    long Id,
    string Description,
    DateTimeOffset? ExpiresAt,
    long UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SeenAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null)
{
    /// <summary>An engine token as a PAT: its name is Unleash's description, its last use Unleash's <c>seenAt</c>.</summary>
    public static UnleashPat From(PersonalAccessToken token, string? secret = null)
        => new(token.Id, token.Name, token.ExpiresAt, token.UserId, token.CreatedAt, token.LastUsedAt, secret);

    public override string ToString() => $"UnleashPat {{ Id = {Id}, Description = {Description} }}";
}
