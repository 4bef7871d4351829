namespace Latchkey.Server.Api;

/// <summary>How many tokens <c>DELETE /api/users/{id}/tokens</c> revoked.</summary>
internal sealed record RevokedTokensResponse(int Revoked);
