namespace Latchkey;

/// <summary>The verdict on one presented credential.</summary>
public readonly record struct TokenValidationResult(AuthenticatedToken? Token, TokenFailure Failure)
{
    public bool Succeeded => Token is not null;

    public static TokenValidationResult Fail(TokenFailure failure) => new(null, failure);
}
