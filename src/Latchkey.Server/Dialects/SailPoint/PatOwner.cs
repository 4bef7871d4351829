using Latchkey.Users;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>A token's owner as SailPoint shows it: always an identity, named for people.</summary>
internal sealed record PatOwner(string Type, string Id, string Name)
{
    public static PatOwner From(User user) => new("IDENTITY", SailPointIds.Identity(user.Id), user.Name ?? user.Username);

    /// <summary>For a token whose owner can no longer be read (deleted between two queries).</summary>
    public static PatOwner Unknown(long userId) => new("IDENTITY", SailPointIds.Identity(userId), string.Empty);
}
