namespace Latchkey.Tokens;

/// <summary>
/// A token together with its secret. This is the only type that ever holds the plaintext, and it exists only
/// in the response to create and rotate.
/// </summary>
public sealed record IssuedToken(PersonalAccessToken Token, string Secret)
{
    // Keep the secret out of anything that prints a record (logs, debugger displays, exception messages).
    public override string ToString() => $"IssuedToken {{ Id = {Token.Id}, Name = {Token.Name} }}";
}
