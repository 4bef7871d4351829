using Latchkey.Users;

namespace Latchkey.Tests.Fakes;

/// <summary>
/// Stands in for Data Protection: reversible, but visibly not the secret (so a test can see the store never holds
/// it as is), and refuses text it did not make, as a tampered or foreign payload is refused.
/// </summary>
public sealed class FakeSecretProtector : ISecretProtector
{
    private const string Prefix = "protected:";

    public string Protect(byte[] secret) => Prefix + Convert.ToHexString(secret.Reverse().ToArray());

    public byte[]? Unprotect(string protectedSecret)
        => protectedSecret.StartsWith(Prefix, StringComparison.Ordinal) ? Convert.FromHexString(protectedSecret[Prefix.Length..]).Reverse().ToArray() : null;
}
