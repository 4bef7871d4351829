namespace Latchkey.Users;

/// <summary>
/// What the engine registers when the host gave no <see cref="ISecretProtector"/>: everything but two-factor
/// authentication works, and enrolling says what is missing rather than storing a key unencrypted.
/// </summary>
internal sealed class UnavailableSecretProtector : ISecretProtector
{
    private const string Missing = "Two-factor authentication needs an ISecretProtector (the server registers one over ASP.NET Core Data Protection).";

    public string Protect(byte[] secret) => throw new InvalidOperationException(Missing);

    public byte[]? Unprotect(string protectedSecret) => throw new InvalidOperationException(Missing);
}
