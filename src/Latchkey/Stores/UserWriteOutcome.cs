using Latchkey.Users;

namespace Latchkey.Stores;

/// <summary>
/// What a user write did: the user as written (as it was, for a delete), or the <see cref="Refusal"/> and nothing
/// written. <see cref="EndedSessionIds"/> are the sessions revoked in the same transaction.
/// </summary>
public sealed record UserWriteOutcome(User? User)
{
    public UserWriteRefusal Refusal { get; init; }

    public IReadOnlyList<long> EndedSessionIds { get; init; } = [];

    public static UserWriteOutcome Refused(UserWriteRefusal refusal) => new((User?)null) { Refusal = refusal };
}
