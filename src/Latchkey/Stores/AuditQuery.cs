namespace Latchkey.Stores;

/// <summary>A filtered, paged reading of the audit log, newest first. Filters combine.</summary>
public sealed record AuditQuery
{
    /// <summary>Only entries of this action (e.g. <c>token.revoked</c>), exactly.</summary>
    public string? Action { get; init; }

    /// <summary>Only entries where this user acted or was acted on (actor or subject).</summary>
    public long? UserId { get; init; }

    /// <summary>
    /// Only entries where the user with this username (without regard to case) acted or was acted on. A deleted
    /// user's username no longer names them: their entries are found by <see cref="UserId"/>.
    /// </summary>
    public string? Username { get; init; }

    /// <summary>Only entries about this token.</summary>
    public long? TokenId { get; init; }

    public int Page { get; init; } = 1;

    public int PerPage { get; init; } = 20;
}
