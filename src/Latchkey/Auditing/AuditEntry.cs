namespace Latchkey.Auditing;

/// <summary>
/// An event to append to the audit log. For an insert, <see cref="TokenId"/> may be left empty: the store fills in
/// the new token's id.
/// </summary>
public sealed record AuditEntry(
    string Action,
    DateTimeOffset At,
    long? ActorUserId,
    long? TokenId = null,
    long? SubjectUserId = null,
    string? IpAddress = null,
    string? Details = null)
{
    /// <summary>What <paramref name="actor"/> did, from their address; <see cref="TokenActor.System"/> (start-up, the command line) is no user.</summary>
    public static AuditEntry For(string action, TokenActor actor, DateTimeOffset at, long? tokenId = null, long? subject = null, string? details = null)
        => new(action, at, actor.UserId == 0 ? null : actor.UserId, tokenId, subject, actor.IpAddress, details);
}
