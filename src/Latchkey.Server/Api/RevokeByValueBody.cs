namespace Latchkey.Server.Api;

/// <summary>POST /api/tokens/revoke: the secret of a (leaked) token.</summary>
internal sealed class RevokeByValueBody
{
    public string? Token { get; set; }

    public override string ToString() => nameof(RevokeByValueBody);
}
