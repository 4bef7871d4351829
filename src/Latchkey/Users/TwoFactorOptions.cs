namespace Latchkey.Users;

/// <summary>Whether everyone must use two-factor authentication, bound from <c>Latchkey:TwoFactor</c>.</summary>
public sealed class TwoFactorOptions
{
    public const string SectionName = "Latchkey:TwoFactor";

    /// <summary>Longest grace period accepted: a longer one is a typo, or the policy in name only.</summary>
    public static readonly TimeSpan MaximumGracePeriod = TimeSpan.FromDays(365);

    /// <summary>
    /// Every user must enrol. A user without two-factor authentication may still sign in during
    /// <see cref="GracePeriod"/> (counted from their first sign-in after the policy applies to them); after it, a
    /// password sign-in yields only a short session that can do nothing but enrol.
    /// </summary>
    public bool Required { get; set; }

    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long the session that can only enrol lives.</summary>
    public TimeSpan EnrolmentSessionLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<string> Validate()
    {
        if (GracePeriod < TimeSpan.Zero || GracePeriod > MaximumGracePeriod)
        {
            yield return $"{SectionName}:GracePeriod must be between 00:00:00 and {MaximumGracePeriod.TotalDays} days (e.g. 7.00:00:00).";
        }

        if (EnrolmentSessionLifetime < TimeSpan.FromMinutes(1) || EnrolmentSessionLifetime > TimeSpan.FromHours(1))
        {
            yield return $"{SectionName}:EnrolmentSessionLifetime must be between 00:01:00 and 01:00:00.";
        }
    }
}
