using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Sanctum;

/// <summary>
/// Puts a token that expired yesterday straight into the store: the engine rightly refuses to issue one, and a
/// test must not wait for a clock.
/// </summary>
internal static class ExpiredTokens
{
    public static async Task<long> InsertAsync(LatchkeyServerFactory factory, long userId, string name)
    {
        var hasher = factory.GetService<TokenHasher>();
        var secret = TokenFormat.Generate("lk_", hasher.CurrentKeyId);
        var now = DateTimeOffset.UtcNow;
        var token = new NewToken
        {
            PublicId = Guid.NewGuid().ToString("N"),
            UserId = userId,
            Name = name,
            Scopes = ["*"],
            CreatedAt = now.AddDays(-2),
            ExpiresAt = now.AddDays(-1),
            Hash = hasher.HashNew(secret),
            KeyId = hasher.CurrentKeyId,
            Origin = "sanctum",
        };
        var outcome = await factory.GetService<ITokenStore>().InsertAsync(token, InsertConstraints.None(now), new AuditEntry(AuditActions.TokenCreated, now, userId), CancellationToken.None);
        return outcome.Token!.Id;
    }
}
