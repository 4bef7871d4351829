using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;
using Microsoft.AspNetCore.Identity;

namespace Latchkey.Users;

/// <summary>
/// Two-factor authentication: enrolling an authenticator app, recovery codes, turning it off, an administrator's
/// reset, and checking a second factor at sign-in — the only writer of a user's two-factor state. The authenticator
/// key is stored encrypted (<see cref="ISecretProtector"/>), recovery codes only as keyed hashes
/// (<see cref="TokenHasher.HashSecret"/>) compared in constant time; an accepted code's time step is recorded, so
/// neither it nor an older one is accepted again. Every change commits with its audit entry.
/// </summary>
public sealed class TwoFactorManager
{
    /// <summary>The only scope of a session that may do nothing but enrol (a required policy past its grace period).</summary>
    public const string EnrolmentScope = "two_factor_enrolment";

    private const string RecoveryCodePurpose = "recovery code";

    private static readonly TokenError NotFound = new(TokenErrorCode.NotFound, "User not found.");
    private static readonly TokenError AlreadyEnabled = new(TokenErrorCode.Conflict, "Two-factor authentication is already enabled; disable it first to enrol another authenticator.")
    {
        Reason = TokenErrorReason.TwoFactorEnabled,
    };
    private static readonly TokenError NotEnabled = new(TokenErrorCode.Conflict, "Two-factor authentication is not enabled.")
    {
        Reason = TokenErrorReason.TwoFactorNotEnabled,
    };
    private static readonly TokenError NothingToConfirm = new(TokenErrorCode.Conflict, "There is no enrolment to confirm; start one with POST /api/user/two_factor.")
    {
        Reason = TokenErrorReason.TwoFactorNotEnabled,
    };
    private static readonly TokenError WrongCode = TokenError.Invalid(TokenErrorReason.TwoFactorCodeIncorrect, "otp", "otp is not a current authentication code or an unused recovery code.");
    private static readonly TokenError WrongEnrolmentCode = TokenError.Invalid(TokenErrorReason.TwoFactorCodeIncorrect, "otp", "otp is not the current code of the authenticator being enrolled; check the device's clock and try the next code.");
    private static readonly TokenError WrongPassword = TokenError.Invalid(TokenErrorReason.PasswordIncorrect, "password", "password is not your current password.");

    private readonly IUserStore _users;
    private readonly ISecretProtector _protector;
    private readonly TokenHasher _hasher;
    private readonly IPasswordHasher<User> _passwords;
    private readonly TimeProvider _time;

    public TwoFactorManager(IUserStore users, ISecretProtector protector, TokenHasher hasher, IPasswordHasher<User> passwords, TimeProvider time)
    {
        _users = users;
        _protector = protector;
        _hasher = hasher;
        _passwords = passwords;
        _time = time;
    }

    public async Task<TwoFactorStatus?> GetStatusAsync(long userId, CancellationToken cancellationToken)
    {
        var user = await _users.FindAsync(userId, cancellationToken);
        var secrets = user is null ? null : await _users.GetTwoFactorAsync(userId, cancellationToken);
        if (user is null || secrets is null)
        {
            return null;
        }

        var left = user.HasTwoFactor ? (await _users.ListRecoveryCodesAsync(userId, cancellationToken)).Count(code => code.UsedAt is null) : 0;
        return new TwoFactorStatus(user.HasTwoFactor, user.TwoFactorEnabledAt, !user.HasTwoFactor && secrets.PendingSecret is not null, left);
    }

    /// <summary>
    /// Starts, or starts again, enrolling the actor's authenticator: a new key, kept pending until
    /// <see cref="ConfirmAsync"/> sees a code from it. Refused while two-factor authentication is on.
    /// </summary>
    public async Task<Result<TwoFactorEnrolment>> StartAsync(TokenActor actor, CancellationToken cancellationToken)
    {
        var user = await _users.FindAsync(actor.UserId, cancellationToken);
        if (user is null)
        {
            return NotFound;
        }

        var secret = AuthenticatorKey.NewSecret();
        if (user.HasTwoFactor || !await _users.SetPendingTwoFactorAsync(user.Id, _protector.Protect(secret), cancellationToken))
        {
            return AlreadyEnabled;
        }

        return new TwoFactorEnrolment(AuthenticatorKey.Base32(secret), AuthenticatorKey.OtpAuthUri(user.Username, secret));
    }

    /// <summary>
    /// The enrolment started and not yet confirmed, to show its key again (a page reloaded, a code mistyped);
    /// <c>null</c> when none is pending or two-factor authentication is on.
    /// </summary>
    public async Task<TwoFactorEnrolment?> GetPendingAsync(TokenActor actor, CancellationToken cancellationToken)
    {
        var user = await _users.FindAsync(actor.UserId, cancellationToken);
        var secrets = user is null || user.HasTwoFactor ? null : await _users.GetTwoFactorAsync(user.Id, cancellationToken);
        return secrets?.PendingSecret is { } stored && _protector.Unprotect(stored) is { } secret
            ? new TwoFactorEnrolment(AuthenticatorKey.Base32(secret), AuthenticatorKey.OtpAuthUri(user!.Username, secret))
            : null;
    }

    /// <summary>
    /// Turns two-factor authentication on when <paramref name="code"/> is a current code of the pending key; returns
    /// the ten recovery codes, in plain text this once.
    /// </summary>
    public async Task<Result<IReadOnlyList<string>>> ConfirmAsync(TokenActor actor, string? code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(code))
        {
            return CodeRequired();
        }

        var user = await _users.FindAsync(actor.UserId, cancellationToken);
        var secrets = user is null ? null : await _users.GetTwoFactorAsync(user.Id, cancellationToken);
        if (user is null || secrets is null)
        {
            return NotFound;
        }

        if (user.HasTwoFactor)
        {
            return AlreadyEnabled;
        }

        if (secrets.PendingSecret is null || _protector.Unprotect(secrets.PendingSecret) is not { } pending)
        {
            return NothingToConfirm;
        }

        if (!AuthenticatorKey.TryVerify(pending, AuthenticatorKey.Compact(code), _time.GetUtcNow(), null, out var step))
        {
            return WrongEnrolmentCode;
        }

        var codes = RecoveryCodes.Generate();
        var outcome = await _users.EnableTwoFactorAsync(user.Id, secrets.PendingSecret, step, Hashed(codes), Audit(AuditActions.UserTwoFactorEnabled, actor, user.Id), cancellationToken);
        return outcome.Refusal switch
        {
            UserWriteRefusal.None => Result<IReadOnlyList<string>>.Ok(codes),
            UserWriteRefusal.NotFound => NotFound,

            // Restarted or confirmed meanwhile, from another window: the key this code came from is not the pending one any more.
            _ => NothingToConfirm,
        };
    }

    /// <summary>Turns two-factor authentication off, given a current code (or a recovery code) or the password.</summary>
    public async Task<Result<User>> DisableAsync(TokenActor actor, string? code, string? password, CancellationToken cancellationToken)
    {
        var user = await ProveAsync(actor, code, password, cancellationToken);
        if (!user.Succeeded)
        {
            return user;
        }

        var outcome = await _users.DisableTwoFactorAsync(user.Value.Id, Audit(AuditActions.UserTwoFactorDisabled, actor, user.Value.Id), cancellationToken);
        return outcome.User is { } disabled ? disabled : NotFound;
    }

    /// <summary>New recovery codes in place of all the old ones, given a current code or the password; returned in plain text this once.</summary>
    public async Task<Result<IReadOnlyList<string>>> RegenerateRecoveryCodesAsync(TokenActor actor, string? code, string? password, CancellationToken cancellationToken)
    {
        var user = await ProveAsync(actor, code, password, cancellationToken);
        if (!user.Succeeded)
        {
            return user.Error;
        }

        var codes = RecoveryCodes.Generate();
        var outcome = await _users.ReplaceRecoveryCodesAsync(user.Value.Id, Hashed(codes), Audit(AuditActions.UserRecoveryCodesRegenerated, actor, user.Value.Id), cancellationToken);
        return outcome.Refusal switch
        {
            UserWriteRefusal.None => Result<IReadOnlyList<string>>.Ok(codes),
            UserWriteRefusal.NotFound => NotFound,
            _ => NotEnabled,
        };
    }

    /// <summary>
    /// An administrator turns someone's two-factor authentication off (a lost phone and lost recovery codes); they
    /// sign in with their password again and may enrol anew. Not for one's own: that needs a code or the password.
    /// </summary>
    public async Task<Result<User>> ResetAsync(TokenActor actor, long userId, CancellationToken cancellationToken)
    {
        var user = actor.IsAdmin || actor.UserId == userId ? await _users.FindAsync(userId, cancellationToken) : null;
        if (user is null)
        {
            return NotFound;
        }

        if (!actor.IsAdmin)
        {
            return new TokenError(TokenErrorCode.Forbidden, "Only administrators can do this.");
        }

        if (userId == actor.UserId)
        {
            return new TokenError(TokenErrorCode.Conflict, "You cannot reset your own two-factor authentication; disable it with a code or your password.")
            {
                Reason = TokenErrorReason.OwnAccount,
            };
        }

        if (!user.HasTwoFactor)
        {
            return NotEnabled;
        }

        var outcome = await _users.DisableTwoFactorAsync(userId, Audit(AuditActions.UserTwoFactorReset, actor, userId), cancellationToken);
        return outcome.User is { } reset ? reset : NotFound;
    }

    /// <summary>
    /// Whether <paramref name="code"/> is a second factor of <paramref name="user"/>: six digits are checked as an
    /// authenticator code (the current step or one either side, after the last one accepted, which it then becomes),
    /// anything else as a recovery code (used up by this call, audited as <c>user.recovery_code_used</c>).
    /// </summary>
    public async Task<SecondFactor> VerifyAsync(User user, string code, string? ipAddress, CancellationToken cancellationToken)
    {
        code = AuthenticatorKey.Compact(code);
        if (!user.HasTwoFactor || code.Length == 0)
        {
            return SecondFactor.None;
        }

        if (AuthenticatorKey.IsCodeShaped(code))
        {
            var secrets = await _users.GetTwoFactorAsync(user.Id, cancellationToken);
            return secrets?.Secret is { } stored
                && _protector.Unprotect(stored) is { } secret
                && AuthenticatorKey.TryVerify(secret, code, _time.GetUtcNow(), secrets.LastStep, out var step)
                && await _users.AdvanceTwoFactorStepAsync(user.Id, step, cancellationToken)
                ? SecondFactor.AuthenticatorCode
                : SecondFactor.None;
        }

        if (RecoveryCodes.Normalize(code) is not { } normalized)
        {
            return SecondFactor.None;
        }

        RecoveryCode? match = null;
        foreach (var candidate in await _users.ListRecoveryCodesAsync(user.Id, cancellationToken))
        {
            // Every unused code is compared, in constant time, so the time taken says nothing about which matched.
            if (candidate.UsedAt is null
                && _hasher.TryHashSecret(RecoveryCodePurpose, candidate.KeyId, normalized, out var hash)
                && TokenHasher.Matches(candidate.Hash, hash))
            {
                match = candidate;
            }
        }

        var audit = new AuditEntry(AuditActions.UserRecoveryCodeUsed, _time.GetStoreNow(), user.Id, SubjectUserId: user.Id, IpAddress: ipAddress);
        return match is not null && await _users.UseRecoveryCodeAsync(user.Id, match.Id, audit, cancellationToken)
            ? SecondFactor.RecoveryCode
            : SecondFactor.None;
    }

    // "Sudo": turning the second factor off or making new recovery codes asks again for proof, as GitHub does, so a
    // session left open on someone else's screen is not enough.
    private async Task<Result<User>> ProveAsync(TokenActor actor, string? code, string? password, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(code) && !string.IsNullOrEmpty(password))
        {
            return TokenError.Invalid(TokenErrorReason.None, "otp", "Give otp or password, not both.");
        }

        if (string.IsNullOrEmpty(code) && string.IsNullOrEmpty(password))
        {
            return TokenError.Invalid(TokenErrorReason.None, "otp", "otp (a current authentication code or a recovery code) or password is required.");
        }

        var user = await _users.FindAsync(actor.UserId, cancellationToken);
        if (user is null)
        {
            return NotFound;
        }

        if (!user.HasTwoFactor)
        {
            return NotEnabled;
        }

        if (password is { Length: > 0 })
        {
            return password.Length <= UserManager.MaximumPasswordLength && _passwords.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed
                ? user
                : WrongPassword;
        }

        return await VerifyAsync(user, code!, actor.IpAddress, cancellationToken) == SecondFactor.None ? WrongCode : user;
    }

    private static TokenError CodeRequired() => TokenError.Invalid(TokenErrorReason.None, "otp", "otp is required: the 6-digit code your authenticator app shows.");

    private List<(string KeyId, TokenHash Hash)> Hashed(IReadOnlyList<string> codes)
        => [.. codes.Select(code => _hasher.HashSecret(RecoveryCodePurpose, RecoveryCodes.Normalize(code)!))];

    private AuditEntry Audit(string action, TokenActor actor, long subject)
        => AuditEntry.For(action, actor, _time.GetStoreNow(), subject: subject);
}
