using System.Text.RegularExpressions;
using Latchkey.Auditing;
using Latchkey.Changes;
using Latchkey.Stores;
using Latchkey.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Latchkey.Users;

/// <summary>
/// Creates, signs in, changes, blocks and deletes users — the only writer of users, as <see cref="TokenManager"/> is
/// of tokens, and judged the same way: a user who is not the actor is invisible to them unless they are an
/// administrator (<see cref="TokenErrorCode.NotFound"/>, never "forbidden", so ids cannot be probed). A change that
/// affects how the user's tokens authenticate is published on the <see cref="ITokenChangeFeed"/> once it committed.
/// Passwords are hashed with ASP.NET Core Identity's PBKDF2 hasher (v3 format) at the cost of
/// <see cref="PasswordHashingOptions"/>.
/// </summary>
public sealed partial class UserManager
{
    public const int MaxFieldLength = 255;
    public const int MinimumPasswordLength = 12;
    public const int MaximumPasswordLength = 1024;

    private static readonly TokenError NotFound = new(TokenErrorCode.NotFound, "User not found.");
    private static readonly TokenError UsernameTaken = new(TokenErrorCode.NameTaken, "username has already been taken.", "username");
    private static readonly TokenError LastAdministrator = new(TokenErrorCode.Conflict, "This would leave no active administrator; make another user an administrator first.")
    {
        Reason = TokenErrorReason.LastAdministrator,
    };

    private readonly IUserStore _users;
    private readonly IAuditStore _audit;
    private readonly TokenManager _tokens;
    private readonly ITokenChangeFeed _changes;
    private readonly TokenHasher _fingerprints;
    private readonly IPasswordHasher<User> _hasher;
    private readonly TimeProvider _time;
    private readonly TwoFactorManager _twoFactor;
    private readonly IOptionsMonitor<TwoFactorOptions> _twoFactorPolicy;

    // Verified against when the username is unknown, so both failures cost the same time.
    private readonly Lazy<string> _decoyHash;

    public UserManager(
        IUserStore users,
        IAuditStore audit,
        TokenManager tokens,
        ITokenChangeFeed changes,
        TokenHasher fingerprints,
        IPasswordHasher<User> hasher,
        TimeProvider time,
        TwoFactorManager twoFactor,
        IOptionsMonitor<TwoFactorOptions> twoFactorPolicy)
    {
        _twoFactor = twoFactor;
        _twoFactorPolicy = twoFactorPolicy;
        _users = users;
        _audit = audit;
        _tokens = tokens;
        _changes = changes;
        _fingerprints = fingerprints;
        _hasher = hasher;
        _time = time;
        _decoyHash = new Lazy<string>(() => _hasher.HashPassword(null!, Guid.NewGuid().ToString()));
    }

    /// <summary>Creates a user (administrators only, or <see cref="TokenActor.System"/>). A taken username is <see cref="TokenErrorCode.NameTaken"/>.</summary>
    public async Task<Result<User>> CreateAsync(TokenActor actor, CreateUserRequest request, CancellationToken cancellationToken)
    {
        if (!actor.IsAdmin)
        {
            return new TokenError(TokenErrorCode.Forbidden, "Only administrators can create users.");
        }

        if (string.IsNullOrEmpty(request.Username) || request.Username.Length > MaxFieldLength || !UsernamePattern().IsMatch(request.Username))
        {
            return TokenError.Invalid(TokenErrorReason.UsernameInvalid, "username", "username must be 1–255 letters, digits, '_', '-' or '.', and must not start with '-' or '.'.");
        }

        if ((CheckPassword(request.Password) ?? CheckEmail(request.Email) ?? CheckName(request.Name)) is { } error)
        {
            return error;
        }

        var now = Now();
        var user = new NewUser(request.Username, request.Email, request.Name, _hasher.HashPassword(null!, request.Password!), request.IsAdmin, now)
        {
            Audit = AuditEntry.For(AuditActions.UserCreated, actor, now),
        };
        return await _users.CreateAsync(user, cancellationToken) is { } created ? created : UsernameTaken;
    }

    /// <summary>What is wrong with a new password, or <c>null</c> when it is acceptable.</summary>
    public static TokenError? CheckPassword(string? password, string field = "password") => password switch
    {
        null or { Length: < MinimumPasswordLength } => new TokenError(TokenErrorCode.Invalid, $"{field} is too short (minimum is {MinimumPasswordLength} characters).", field)
        {
            Reason = TokenErrorReason.PasswordTooShort,
            Limit = MinimumPasswordLength,
        },
        { Length: > MaximumPasswordLength } => new TokenError(TokenErrorCode.Invalid, $"{field} is too long (maximum is {MaximumPasswordLength} characters).", field)
        {
            Reason = TokenErrorReason.PasswordTooLong,
            Limit = MaximumPasswordLength,
        },
        _ => null,
    };

    /// <summary>
    /// Checks a username, password and — for a user with two-factor authentication — <paramref name="otp"/> (a
    /// current authenticator code or an unused recovery code), and opens a session. Every failure (unknown user,
    /// wrong password, blocked, wrong code) is one <see cref="SignInOutcome.Failed"/>, costs one hash verification
    /// and is audited as <c>sign_in.failed</c>; a right password without a code is
    /// <see cref="SignInOutcome.SecondFactorRequired"/>, for the caller to ask for one. A hash made at a lower cost
    /// than today's setting is replaced by one at today's.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string username, string password, string? otp, string? ipAddress, CancellationToken cancellationToken)
    {
        if (await VerifyPasswordAsync(username, password, ipAddress, cancellationToken) is not { } user)
        {
            return SignInResult.Failed;
        }

        if (user.HasTwoFactor)
        {
            if (string.IsNullOrEmpty(otp))
            {
                return new SignInResult(SignInOutcome.SecondFactorRequired) { UserId = user.Id };
            }

            return await SecondStepAsync(user, otp, ipAddress, cancellationToken);
        }

        return await OpenSessionAsync(user, ipAddress, cancellationToken);
    }

    /// <summary>
    /// Checks a username and password without opening a session — for a protocol that sends them with every request
    /// (Git over HTTP behind forward-auth). Failures are judged, timed and audited exactly like
    /// <see cref="SignInAsync"/>'s, and an outdated hash is replaced the same way; nothing is written on success.
    /// A user with two-factor authentication — or one whose grace period under a required policy has ended — gets
    /// <see cref="SignInOutcome.SecondFactorRequired"/>: a password alone is not enough for them, a personal access
    /// token is.
    /// </summary>
    public async Task<PasswordCheckResult> CheckPasswordAsync(string username, string password, string? ipAddress, CancellationToken cancellationToken)
    {
        if (await VerifyPasswordAsync(username, password, ipAddress, cancellationToken) is not { } user)
        {
            return PasswordCheckResult.Failed;
        }

        var now = Now();
        return user.HasTwoFactor || TwoFactorDueBy(user, now) <= now
            ? new PasswordCheckResult(SignInOutcome.SecondFactorRequired, null)
            : new PasswordCheckResult(SignInOutcome.Succeeded, user);
    }

    // The password step both share: one hash verification whether or not the user exists, every failure audited as
    // sign_in.failed, and a hash made at a lower cost than today's replaced. Null for every kind of failure.
    private async Task<User?> VerifyPasswordAsync(string username, string password, string? ipAddress, CancellationToken cancellationToken)
    {
        var user = username.Length <= MaxFieldLength ? await _users.FindByUsernameAsync(username, cancellationToken) : null;
        var verdict = _hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? _decoyHash.Value, password);
        if (user is null || verdict == PasswordVerificationResult.Failed || !user.IsActive)
        {
            // A known account is named by its id. An unknown username may be a password typed in the wrong field,
            // so only its keyed fingerprint is kept: repeated attempts with it still show up as one.
            var entry = user is not null
                ? new AuditEntry(AuditActions.SignInFailed, Now(), null, SubjectUserId: user.Id, IpAddress: ipAddress)
                : new AuditEntry(AuditActions.SignInFailed, Now(), null, IpAddress: ipAddress, Details: $"unknown_username={_fingerprints.Fingerprint("sign-in username", username.ToUpperInvariant())}");
            await _audit.AppendAsync(entry, cancellationToken);
            return null;
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // Only while the hash is still the one verified: a password changed meanwhile stays changed.
            await _users.SetPasswordHashAsync(user.Id, user.PasswordHash, _hasher.HashPassword(user, password), cancellationToken);
        }

        return user;
    }

    /// <summary>
    /// The second step of a sign-in whose password was checked already (<see cref="SignInOutcome.SecondFactorRequired"/>
    /// for <paramref name="userId"/>; the caller holds that fact, never the password): a current authenticator code or
    /// an unused recovery code opens the session. Failures are audited as <c>sign_in.failed</c>.
    /// </summary>
    public async Task<SignInResult> SignInWithSecondFactorAsync(long userId, string otp, string? ipAddress, CancellationToken cancellationToken)
    {
        var user = await _users.FindAsync(userId, cancellationToken);
        if (user is null || !user.IsActive || !user.HasTwoFactor)
        {
            await _audit.AppendAsync(new AuditEntry(AuditActions.SignInFailed, Now(), null, SubjectUserId: userId, IpAddress: ipAddress, Details: "second_factor"), cancellationToken);
            return SignInResult.Failed;
        }

        return await SecondStepAsync(user, otp, ipAddress, cancellationToken);
    }

    private async Task<SignInResult> SecondStepAsync(User user, string otp, string? ipAddress, CancellationToken cancellationToken)
    {
        if (await _twoFactor.VerifyAsync(user, otp, ipAddress, cancellationToken) == SecondFactor.None)
        {
            await _audit.AppendAsync(new AuditEntry(AuditActions.SignInFailed, Now(), null, SubjectUserId: user.Id, IpAddress: ipAddress, Details: "second_factor"), cancellationToken);
            return SignInResult.Failed;
        }

        return await OpenSessionAsync(user, ipAddress, cancellationToken);
    }

    // Under a required policy, a user without a second factor gets a grace period from their first sign-in under it;
    // after it, only a short session that can enrol and nothing else.
    private async Task<SignInResult> OpenSessionAsync(User user, string? ipAddress, CancellationToken cancellationToken)
    {
        var now = Now();
        if (TwoFactorDueBy(user, now) is not { } dueBy)
        {
            return new SignInResult(SignInOutcome.Succeeded) { Session = await _tokens.CreateSessionAsync(user, ipAddress, cancellationToken) };
        }

        if (user.TwoFactorGraceFrom is null)
        {
            await _users.StartTwoFactorGraceAsync(user.Id, now, cancellationToken);
        }

        if (now < dueBy)
        {
            return new SignInResult(SignInOutcome.Succeeded) { Session = await _tokens.CreateSessionAsync(user, ipAddress, cancellationToken), TwoFactorDueBy = dueBy };
        }

        var lifetime = _twoFactorPolicy.CurrentValue.EnrolmentSessionLifetime;
        var session = await _tokens.CreateSessionAsync(user, "two-factor enrolment", [TwoFactorManager.EnrolmentScope], lifetime, ipAddress, cancellationToken);
        return new SignInResult(SignInOutcome.Succeeded) { Session = session, TwoFactorDueBy = dueBy, EnrolmentOnly = true };
    }

    /// <summary>
    /// Under a policy that requires two-factor authentication, by when the actor must have enrolled (past it, a
    /// sign-in gets a session that can only enrol); <c>null</c> when nothing is required of them.
    /// </summary>
    public async Task<DateTimeOffset?> GetTwoFactorDueByAsync(TokenActor actor, CancellationToken cancellationToken)
        => _twoFactorPolicy.CurrentValue.Required && await _users.FindAsync(actor.UserId, cancellationToken) is { } user ? TwoFactorDueBy(user, Now()) : null;

    // The grace period counts from the first sign-in under the policy (now, for one that has not happened yet).
    private DateTimeOffset? TwoFactorDueBy(User user, DateTimeOffset now)
    {
        var policy = _twoFactorPolicy.CurrentValue;
        return policy.Required && !user.HasTwoFactor ? (user.TwoFactorGraceFrom ?? now) + policy.GracePeriod : null;
    }

    /// <summary>The actor themselves, or for an administrator anyone.</summary>
    public async Task<Result<User>> GetAsync(TokenActor actor, long id, CancellationToken cancellationToken)
        => await FindVisibleAsync(actor, id, cancellationToken) is { } user ? user : NotFound;

    /// <summary>
    /// Changes name and email (the actor's own, or for an administrator anyone's); an administrator may also make
    /// someone an administrator or not (never themselves, never the last active one) and give them a new password,
    /// which ends all their sessions.
    /// </summary>
    public async Task<Result<User>> UpdateAsync(TokenActor actor, long id, UpdateUserRequest request, CancellationToken cancellationToken)
        => UserOf(await UpdateCoreAsync(actor, id, request, cancellationToken));

    private async Task<Result<UserWriteOutcome>> UpdateCoreAsync(TokenActor actor, long id, UpdateUserRequest request, CancellationToken cancellationToken)
    {
        var user = await FindVisibleAsync(actor, id, cancellationToken);
        if (user is null)
        {
            return NotFound;
        }

        if ((request.IsAdmin is not null || request.Password is not null) && !actor.IsAdmin)
        {
            return new TokenError(TokenErrorCode.Forbidden, "Only administrators can change is_admin or set a password; change your own by giving the current one.");
        }

        if (((request.NameSet ? CheckName(request.Name) : null) ?? (request.EmailSet ? CheckEmail(request.Email) : null)) is { } error)
        {
            return error;
        }

        if (request.Password is not null && CheckPassword(request.Password) is { } passwordError)
        {
            return passwordError;
        }

        var demotes = request.IsAdmin == false && user.IsAdmin;
        if (demotes && id == actor.UserId)
        {
            return OwnAccount("remove your own administrator rights");
        }

        var changes = new UserChanges
        {
            Name = request.Name,
            NameChanged = request.NameSet,
            Email = request.Email,
            EmailChanged = request.EmailSet,
            IsAdmin = request.IsAdmin,
            PasswordHash = request.Password is null ? null : _hasher.HashPassword(user, request.Password),
            EndSessions = request.Password is not null,
            KeepAnActiveAdministrator = demotes,
        };
        var action = request.Password is null ? AuditActions.UserUpdated : AuditActions.UserPasswordReset;
        return await WriteAsync(actor, id, changes, action, cancellationToken);
    }

    /// <summary>
    /// Changes the actor's own password, given the current one. Their other sessions end (whoever signed in with the
    /// old password is signed out); the session making the request and their personal access tokens stay, as on
    /// GitHub and GitLab.
    /// </summary>
    public async Task<Result<User>> ChangePasswordAsync(TokenActor actor, string? currentPassword, string? newPassword, CancellationToken cancellationToken)
    {
        var user = await _users.FindAsync(actor.UserId, cancellationToken);
        if (user is null)
        {
            return NotFound;
        }

        if (string.IsNullOrEmpty(currentPassword) || _hasher.VerifyHashedPassword(user, user.PasswordHash, currentPassword) == PasswordVerificationResult.Failed)
        {
            return TokenError.Invalid(TokenErrorReason.PasswordIncorrect, "current_password", "current_password is not your current password.");
        }

        if (CheckPassword(newPassword, "new_password") is { } error)
        {
            return error;
        }

        var changes = new UserChanges { PasswordHash = _hasher.HashPassword(user, newPassword!), EndSessions = true, KeepSessionId = actor.TokenId };
        return UserOf(await WriteAsync(actor, user.Id, changes, AuditActions.UserPasswordChanged, cancellationToken));
    }

    /// <summary>
    /// Gives a user a new password and ends all their sessions, so whoever knew the old one is signed out; returns
    /// how many ended. For administrators and the <c>reset-admin-password</c> command (<see cref="TokenActor.System"/>).
    /// </summary>
    public async Task<Result<int>> ResetPasswordAsync(TokenActor actor, long id, string? password, CancellationToken cancellationToken)
    {
        var outcome = await UpdateCoreAsync(actor, id, new UpdateUserRequest { Password = password }, cancellationToken);
        return outcome.Succeeded ? outcome.Value.EndedSessionIds.Count : outcome.Error;
    }

    /// <summary>
    /// Blocks a user: from the next request on, on every node, none of their tokens authenticate and they cannot
    /// sign in; their sessions end. Their personal access tokens are kept and work again after <see cref="UnblockAsync"/>.
    /// </summary>
    public async Task<Result<User>> BlockAsync(TokenActor actor, long id, CancellationToken cancellationToken)
    {
        var user = await FindForAdministratorAsync(actor, id, "block yourself", cancellationToken);
        if (!user.Succeeded)
        {
            return user;
        }

        var changes = new UserChanges { State = UserStates.Blocked, EndSessions = true, KeepAnActiveAdministrator = user.Value.IsAdmin };
        return UserOf(await WriteAsync(actor, id, changes, AuditActions.UserBlocked, cancellationToken));
    }

    public async Task<Result<User>> UnblockAsync(TokenActor actor, long id, CancellationToken cancellationToken)
    {
        var user = await FindForAdministratorAsync(actor, id, null, cancellationToken);
        return user.Succeeded ? UserOf(await WriteAsync(actor, id, new UserChanges { State = UserStates.Active }, AuditActions.UserUnblocked, cancellationToken)) : user;
    }

    /// <summary>
    /// Deletes a user and all their tokens (refused from the next request on, on every node); the username is free
    /// again. The audit log keeps its entries about them, and the deletion's entry names the username.
    /// </summary>
    public async Task<Result<User>> DeleteAsync(TokenActor actor, long id, CancellationToken cancellationToken)
    {
        var user = await FindForAdministratorAsync(actor, id, "delete yourself", cancellationToken);
        if (!user.Succeeded)
        {
            return user;
        }

        var now = Now();
        var audit = AuditEntry.For(AuditActions.UserDeleted, actor, now, subject: id, details: $"username={user.Value.Username}");
        return UserOf(Published(id, await _users.DeleteAsync(id, user.Value.IsAdmin, audit, cancellationToken)));
    }

    /// <summary>Revokes every personal access token of a user (administrators only); returns how many.</summary>
    public async Task<Result<int>> RevokeTokensAsync(TokenActor actor, long id, CancellationToken cancellationToken)
    {
        var user = await FindForAdministratorAsync(actor, id, null, cancellationToken);
        return user.Succeeded ? await _tokens.RevokeUserTokensAsync(actor, id, cancellationToken) : user.Error;
    }

    private async Task<Result<UserWriteOutcome>> WriteAsync(TokenActor actor, long id, UserChanges changes, string action, CancellationToken cancellationToken)
    {
        var outcome = await _users.UpdateAsync(id, changes, AuditEntry.For(action, actor, Now(), subject: id), cancellationToken);
        return Published(id, outcome);
    }

    private static Result<User> UserOf(Result<UserWriteOutcome> outcome) => outcome.Succeeded ? outcome.Value.User! : outcome.Error;

    private Result<UserWriteOutcome> Published(long id, UserWriteOutcome outcome)
    {
        switch (outcome.Refusal)
        {
            case UserWriteRefusal.NotFound:
                return NotFound;
            case UserWriteRefusal.LastAdministrator:
                return LastAdministrator;
        }

        // Cached entries carry the owner's state and rights, and sessions may have ended: this node drops them now,
        // the others from the store's change record.
        _changes.Publish(TokenChange.User(id));
        return outcome;
    }

    private async Task<User?> FindVisibleAsync(TokenActor actor, long id, CancellationToken cancellationToken)
        => actor.IsAdmin || actor.UserId == id ? await _users.FindAsync(id, cancellationToken) : null;

    // Other users' ids are not found for a non-administrator; their own is, but the operation is not theirs. An
    // operation an administrator must not do to themselves names itself in notToYourself.
    private async Task<Result<User>> FindForAdministratorAsync(TokenActor actor, long id, string? notToYourself, CancellationToken cancellationToken)
    {
        var user = await FindVisibleAsync(actor, id, cancellationToken);
        if (user is null)
        {
            return NotFound;
        }

        if (!actor.IsAdmin)
        {
            return new TokenError(TokenErrorCode.Forbidden, "Only administrators can do this.");
        }

        return notToYourself is not null && id == actor.UserId ? OwnAccount(notToYourself) : user;
    }

    private static TokenError OwnAccount(string what) => new(TokenErrorCode.Conflict, $"You cannot {what}; ask another administrator.")
    {
        Reason = TokenErrorReason.OwnAccount,
    };

    private static TokenError? CheckName(string? name) => name is { Length: > MaxFieldLength }
        ? new TokenError(TokenErrorCode.Invalid, $"name is too long (maximum is {MaxFieldLength} characters).", "name") { Reason = TokenErrorReason.NameTooLong, Limit = MaxFieldLength }
        : null;

    private static TokenError? CheckEmail(string? email) => email is not null && (email.Length > MaxFieldLength || !EmailPattern().IsMatch(email))
        ? TokenError.Invalid(TokenErrorReason.EmailInvalid, "email", "email is not a valid address.")
        : null;

    private DateTimeOffset Now() => _time.GetStoreNow();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
