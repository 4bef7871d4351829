namespace Latchkey;

/// <summary>Which tokens an actor sees at all: what an API calls a token, as opposed to everything the engine stores.</summary>
public enum TokenView
{
    /// <summary>Every kind, revoked ones included (the native API: sessions and exchanged access tokens too).</summary>
    Any,

    /// <summary>Personal access tokens only, revoked ones included: sessions and access tokens are not found.</summary>
    Personal,

    /// <summary>
    /// Personal access tokens that are not revoked: for APIs whose products delete a token when it is revoked
    /// (Sanctum, Unleash, SailPoint), so a revoked one is not found. Expired ones are still seen.
    /// </summary>
    PersonalUnrevoked,
}
