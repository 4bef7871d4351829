namespace Latchkey.Users;

/// <summary>What a user's two-factor settings page shows.</summary>
public sealed record TwoFactorStatus(bool Enabled, DateTimeOffset? EnabledAt, bool EnrolmentPending, int RecoveryCodesLeft);
