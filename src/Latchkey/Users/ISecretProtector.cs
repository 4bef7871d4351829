namespace Latchkey.Users;

/// <summary>
/// Encrypts the secrets the engine must read back (a user's authenticator key), so a copy of the database alone does
/// not hold them. The server implements it with ASP.NET Core Data Protection, whose keys live outside the database.
/// </summary>
public interface ISecretProtector
{
    /// <summary>The secret, encrypted and authenticated, as text a store can keep.</summary>
    string Protect(byte[] secret);

    /// <summary>The secret again; <c>null</c> when <paramref name="protectedSecret"/> cannot be read (tampered, or its key is gone).</summary>
    byte[]? Unprotect(string protectedSecret);
}
