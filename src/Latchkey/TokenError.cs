namespace Latchkey;

/// <summary>A refused operation: a code for the API to map, a message for people, and the field or scope at fault.</summary>
public sealed record TokenError(TokenErrorCode Code, string Message, string? Field = null, string? Scope = null)
{
    public static TokenError Invalid(string field, string message) => new(TokenErrorCode.Invalid, message, field);

    public static readonly TokenError NotFound = new(TokenErrorCode.NotFound, "Token not found.");
}
