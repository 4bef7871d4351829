using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>
/// An operator who allows three PATs per user instead of Unleash's ten, and sets a maximum lifetime Unleash does not
/// have (long enough for the tests' usual expiry, the end of the year after next).
/// </summary>
public sealed class UnleashLimitFactory : LatchkeyServerFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Latchkey:Dialects:unleash:Tokens:MaxTokensPerUser"] = "3",
        ["Latchkey:Dialects:unleash:Tokens:MaximumLifetime"] = "1100.00:00:00",
    };
}
