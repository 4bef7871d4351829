namespace Latchkey;

/// <summary>The verdict on one presented credential.</summary>
public readonly record struct TokenValidationResult(AuthenticatedToken? Token, TokenFailure Failure)
{
    public bool Succeeded => Token is not null;

    /// <summary>
    /// For a refusal of a stored token (revoked, rotated, expired, …): its id, so the caller can act on it (a
    /// rotated-away secret presented to a rotate endpoint). <c>null</c> when the credential matched no token.
    /// </summary>
    public long? RefusedTokenId { get; init; }

    public static TokenValidationResult Fail(TokenFailure failure) => new(null, failure);
}
