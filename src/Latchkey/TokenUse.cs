namespace Latchkey;

/// <summary>
/// Who is using a token, from where, passed to <see cref="TokenValidator.ValidateAsync"/>. A client presenting its
/// own token is a use: last-used time and address are recorded. Introspection and forward-auth validate on a
/// client's behalf: they pass the end client's address, or <see cref="NotAUse"/> when nothing should be recorded
/// (otherwise every token would look used from the proxy's address). A struct, so the hot path allocates nothing.
/// </summary>
public readonly record struct TokenUse(string? ClientAddress, bool Records)
{
    /// <summary>A use by the client at <paramref name="clientAddress"/>: recorded as the token's last use.</summary>
    public static TokenUse By(string? clientAddress) => new(clientAddress, Records: true);

    /// <summary>A check that is not a use: nothing about the token is recorded.</summary>
    public static TokenUse NotAUse => new(null, Records: false);
}
