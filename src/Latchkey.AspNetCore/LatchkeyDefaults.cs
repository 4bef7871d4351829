namespace Latchkey.AspNetCore;

/// <summary>Names the Latchkey authentication scheme and the policies it registers, and what its answers share.</summary>
public static class LatchkeyDefaults
{
    /// <summary>The scheme's name unless the host gives <c>AddLatchkey</c> another.</summary>
    public const string AuthenticationScheme = "Latchkey";

    /// <summary>Policy: any authenticated Latchkey credential.</summary>
    public const string AuthenticatedPolicy = "Latchkey.Authenticated";

    /// <summary>Policy: an authenticated administrator.</summary>
    public const string AdministratorPolicy = "Latchkey.Administrator";

    /// <summary>The query-string parameter GitLab clients pass tokens in.</summary>
    public const string QueryParameterName = "private_token";

    /// <summary>The header GitLab clients pass tokens in.</summary>
    public const string PrivateTokenHeaderName = "PRIVATE-TOKEN";

    /// <summary>What every answer says while the store cannot be reached (503, <see cref="LatchkeyAuthError.StoreUnavailable"/>).</summary>
    public const string StoreUnavailableMessage = "The database is unavailable; try again shortly.";

    /// <summary>
    /// The <c>Retry-After</c> of those answers: a database restart or fail-over takes seconds, and a client that waits
    /// this long between attempts costs a recovering server little.
    /// </summary>
    public static readonly TimeSpan StoreUnavailableRetryAfter = TimeSpan.FromSeconds(5);
}
