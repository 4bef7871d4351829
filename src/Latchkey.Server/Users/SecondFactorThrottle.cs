using Latchkey.AspNetCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Users;

/// <summary>
/// Limits wrong second factors per user, whatever the address: whoever reaches this step knows the password (or
/// holds a session), and a six-digit code must not be guessable by spreading attempts over many addresses. Same
/// limits as failed sign-ins (<see cref="SignInOptions.MaxFailures"/> per <see cref="SignInOptions.Window"/>); the
/// sign-in itself also counts the failure against <see cref="SignInThrottle"/>.
/// </summary>
internal sealed class SecondFactorThrottle : IDisposable
{
    private readonly FailureBudget<long> _perUser;

    public SecondFactorThrottle(IOptions<SignInOptions> options)
        => _perUser = SignInThrottle.Budget<long>(options.Value.MaxFailures, options.Value.Window);

    /// <summary>True when the user has used up their wrong codes; check before verifying one, so a limited guess learns nothing.</summary>
    public bool IsLimited(long userId, out TimeSpan retryAfter) => _perUser.IsLimited(userId, out retryAfter);

    public void RecordFailure(long userId) => _perUser.RecordFailure(userId);

    public void Dispose() => _perUser.Dispose();
}
