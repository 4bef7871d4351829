using Latchkey.Policy;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>Rewrites the engine's field and scope names in its messages into the ones a SailPoint client sent.</summary>
internal static class SailPointNames
{
    private static readonly (string Engine, string Wire)[] Names =
    [
        ("expires_at", "expirationDate"),
        ("scopes", "scope"),
        ($"'{ScopeCatalog.FullAccess}'", $"'{SailPointScopes.All}'"),
    ];

    public static string Translate(string message)
    {
        foreach (var (engine, wire) in Names)
        {
            message = message.Replace(engine, wire, StringComparison.Ordinal);
        }

        return message;
    }
}
