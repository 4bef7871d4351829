namespace Latchkey;

/// <summary>Why a credential was refused. For logs and metrics only: clients are never told which.</summary>
public enum TokenFailure
{
    None,
    Malformed,
    UnknownKey,
    Unknown,
    Expired,
    Revoked,

    /// <summary>Revoked by rotation: a client holds a secret that was replaced (see <see cref="TokenManager.JudgeRotatedCredentialAsync"/>).</summary>
    Rotated,
    OwnerInactive,
    IdMismatch,
}
