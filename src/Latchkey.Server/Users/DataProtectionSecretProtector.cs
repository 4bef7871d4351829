using System.Security.Cryptography;
using Latchkey.Users;
using Microsoft.AspNetCore.DataProtection;

namespace Latchkey.Server.Users;

/// <summary>The engine's <see cref="ISecretProtector"/> over ASP.NET Core Data Protection, with its own purpose string.</summary>
internal sealed class DataProtectionSecretProtector : ISecretProtector
{
    private const string Purpose = "Latchkey.Users.AuthenticatorKey.v1";

    private readonly IDataProtector _protector;

    public DataProtectionSecretProtector(IDataProtectionProvider provider) => _protector = provider.CreateProtector(Purpose);

    public string Protect(byte[] secret) => Convert.ToBase64String(_protector.Protect(secret));

    public byte[]? Unprotect(string protectedSecret)
    {
        try
        {
            return _protector.Unprotect(Convert.FromBase64String(protectedSecret));
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            // A tampered value, or one whose key is gone (a restored database without its key folder): no code can match.
            return null;
        }
    }
}
