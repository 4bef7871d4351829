using Latchkey.Users;

namespace Latchkey.Server.Api;

/// <summary><c>GET /api/user/two_factor</c>.</summary>
internal sealed record TwoFactorStatusResponse(bool Enabled, DateTimeOffset? EnabledAt, bool EnrolmentPending, int RecoveryCodesLeft)
{
    public static TwoFactorStatusResponse From(TwoFactorStatus status) => new(status.Enabled, status.EnabledAt, status.EnrolmentPending, status.RecoveryCodesLeft);
}
