namespace Latchkey.Server.Api;

/// <summary><c>GET /api/administration/policy</c>: every token policy (the native one first, then each dialect's) and the engine's lifetimes.</summary>
internal sealed record EffectivePolicyResponse(TimeSpan SessionLifetime, TimeSpan Retention, IReadOnlyList<TokenPolicyResponse> Policies);
