using Latchkey.Policy;

namespace Latchkey;

/// <summary>Who asks the manager to do something, with what rights, from where.</summary>
public sealed record TokenActor(long UserId, bool IsAdmin, ScopeSet Granted, long? TokenId, string? IpAddress)
{
    public static TokenActor From(AuthenticatedToken token, string? ipAddress)
        => new(token.UserId, token.IsAdmin, token.Granted, token.TokenId, ipAddress);

    /// <summary>The server itself (bootstrap, maintenance): full rights, no credential.</summary>
    public static readonly TokenActor System = new(0, true, ScopeSet.Full, null, null);
}
