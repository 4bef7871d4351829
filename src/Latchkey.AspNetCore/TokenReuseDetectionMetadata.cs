namespace Latchkey.AspNetCore;

/// <summary>
/// Marks a rotate endpoint. A rotated-away secret presented as its credential is judged by
/// <see cref="TokenManager.JudgeRotatedCredentialAsync"/> (a retry within the window, or a reuse that revokes the
/// family); anywhere else such a secret is only refused. Added with <c>DetectsTokenReuse()</c>.
/// </summary>
public sealed class TokenReuseDetectionMetadata
{
    public static readonly TokenReuseDetectionMetadata Instance = new();

    private TokenReuseDetectionMetadata()
    {
    }
}
