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
    OwnerInactive,
    IdMismatch,
}
