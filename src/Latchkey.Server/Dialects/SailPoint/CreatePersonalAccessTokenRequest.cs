namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// SailPoint's <c>CreatePersonalAccessTokenRequest</c>, for the OpenAPI document; the endpoint reads it as
/// <see cref="CreatePersonalAccessTokenBody"/> to tell absent, <c>null</c> and wrong types apart.
/// </summary>
internal sealed class CreatePersonalAccessTokenRequest
{
    public required string Name { get; init; }

    /// <summary>SailPoint scopes (e.g. <c>sp:scopes:all</c>); omitted or null: all of the owner's rights.</summary>
    public IReadOnlyList<string>? Scope { get; init; }

    public int? AccessTokenValiditySeconds { get; init; }

    /// <summary>Required unless <c>userAwareTokenNeverExpires</c> is true (then null means never).</summary>
    public DateTimeOffset? ExpirationDate { get; init; }

    public bool? UserAwareTokenNeverExpires { get; init; }
}
