namespace Latchkey.AspNetCore;

/// <summary>Names the Latchkey authentication scheme and the policies it registers.</summary>
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
}
