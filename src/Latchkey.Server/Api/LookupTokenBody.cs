namespace Latchkey.Server.Api;

/// <summary>POST /api/administration/tokens/lookup: the secret of a (leaked) token, to see whose it is before revoking it.</summary>
internal sealed class LookupTokenBody
{
    public string? Token { get; set; }

    // Keep the secret out of anything that prints the body.
    public override string ToString() => nameof(LookupTokenBody);
}
