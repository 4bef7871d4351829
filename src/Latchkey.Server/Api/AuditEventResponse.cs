using Latchkey.Auditing;

namespace Latchkey.Server.Api;

/// <summary>An audit entry with its ids and what they are called now (<c>null</c> for a deleted user or a pruned token).</summary>
internal sealed record AuditEventResponse(
    long Id,
    string Action,
    DateTimeOffset At,
    long? ActorUserId,
    string? ActorUsername,
    long? TokenId,
    string? TokenName,
    long? SubjectUserId,
    string? SubjectUsername,
    string? IpAddress,
    string? Details)
{
    public static AuditEventResponse From(AuditEvent e) => new(
        e.Id,
        e.Entry.Action,
        e.Entry.At,
        e.Entry.ActorUserId,
        e.Names.ActorUsername,
        e.Entry.TokenId,
        e.Names.TokenName,
        e.Entry.SubjectUserId,
        e.Names.SubjectUsername,
        e.Entry.IpAddress,
        e.Entry.Details);
}
