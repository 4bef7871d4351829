namespace Latchkey.AspNetCore;

/// <summary>Claim types on a <see cref="LatchkeyIdentity"/>, for code that only knows claims.</summary>
public static class LatchkeyClaimTypes
{
    public const string TokenId = "latchkey:token_id";
    public const string TokenKind = "latchkey:token_kind";
    public const string Scope = "scope";
    public const string AdministratorRole = "admin";
}
