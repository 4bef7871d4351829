using Latchkey.Policy;

namespace Latchkey.Server.Api;

/// <summary>
/// One token policy as it is in effect (defaults, the dialect's own rules and the operator's settings applied), in
/// the setting names of <c>Latchkey:Tokens</c>; lifetimes as configuration writes them (<c>d.hh:mm:ss</c>).
/// </summary>
internal sealed record TokenPolicyResponse(
    string Name,
    TimeSpan DefaultLifetime,
    bool DefaultExpiresAtEndOfDay,
    bool DefaultNeverExpires,
    TimeSpan? MaximumLifetime,
    bool AllowNeverExpiring,
    TimeSpan? RotationLifetime,
    TimeSpan RotationRetryWindow,
    int MaxTokensPerUser,
    bool UniqueNamesPerUser,
    int MaxNameLength,
    int MaxDescriptionLength,
    string Prefix,
    IReadOnlyList<string> DefaultScopes,
    IReadOnlyList<string> AllowedScopes)
{
    public static TokenPolicyResponse From(string name, TokenPolicyOptions options) => new(
        name,
        options.DefaultLifetime,
        options.DefaultExpiresAtEndOfDay,
        options.DefaultNeverExpires,
        options.MaximumLifetime,
        options.AllowNeverExpiring,
        options.RotationLifetime,
        options.RotationRetryWindow,
        options.MaxTokensPerUser,
        options.UniqueNamesPerUser,
        options.MaxNameLength,
        options.MaxDescriptionLength,
        options.Prefix,
        [.. options.DefaultScopes],
        [.. options.AllowedScopes]);
}
