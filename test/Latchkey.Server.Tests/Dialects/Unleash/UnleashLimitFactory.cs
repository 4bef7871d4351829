using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Dialects.Unleash;

/// <summary>An operator who allows three PATs per user instead of Unleash's ten.</summary>
public sealed class UnleashLimitFactory : LatchkeyServerFactory
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Latchkey:Dialects:unleash:Tokens:MaxTokensPerUser"] = "3",
    };
}
