namespace Latchkey.Server.Api;

internal sealed record AuditEventResponse(long Id, string Action, DateTimeOffset At, long? ActorUserId, long? TokenId, long? SubjectUserId, string? IpAddress, string? Details);
