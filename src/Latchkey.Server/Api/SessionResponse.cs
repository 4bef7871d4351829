namespace Latchkey.Server.Api;

internal sealed record SessionResponse(string Token, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"SessionResponse {{ ExpiresAt = {ExpiresAt} }}";
}
