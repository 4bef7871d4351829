namespace Latchkey.Users;

/// <summary>How hard passwords are to guess from a stolen database, bound from <c>Latchkey:Passwords</c>.</summary>
/// <remarks>
/// Hashes are ASP.NET Core Identity's v3 format (PBKDF2 with HMAC-SHA512), which stores the iteration count next to
/// the salt: a hash made under one setting still verifies after the setting changes.
/// </remarks>
public sealed class PasswordHashingOptions
{
    public const string SectionName = "Latchkey:Passwords";

    /// <summary>OWASP's figure for PBKDF2-HMAC-SHA512 (its 600 000 is for HMAC-SHA256, which Identity does not use).</summary>
    public const int DefaultIterations = 210_000;

    /// <summary>Low enough for a test suite that creates hundreds of users, high enough to refuse a typo such as <c>1</c>.</summary>
    public const int MinimumIterations = 1_000;

    /// <summary>PBKDF2 iterations for new hashes (sign-ins, created users, password resets).</summary>
    public int Iterations { get; set; } = DefaultIterations;

    public IEnumerable<string> Validate()
    {
        if (Iterations < MinimumIterations)
        {
            yield return $"{SectionName}:Iterations must be at least {MinimumIterations} (the default is {DefaultIterations}).";
        }
    }
}
