using System.Text.RegularExpressions;
using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Identity;

namespace Latchkey.Server.Users;

/// <summary>
/// Creates users and signs them in. Passwords are hashed with ASP.NET Core Identity's PBKDF2 hasher, at the cost set
/// by <see cref="PasswordHashingOptions"/>.
/// </summary>
internal sealed partial class UserService
{
    public const int MinimumPasswordLength = 12;
    public const int MaximumPasswordLength = 1024;

    private readonly IUserStore _users;
    private readonly IAuditStore _audit;
    private readonly TokenManager _tokens;
    private readonly TimeProvider _time;
    private readonly TokenHasher _fingerprints;
    private readonly IPasswordHasher<User> _hasher;

    // Verified against when the username is unknown, so both failures cost the same time.
    private readonly Lazy<string> _decoyHash;

    public UserService(IUserStore users, IAuditStore audit, TokenManager tokens, TimeProvider time, TokenHasher fingerprints, IPasswordHasher<User> hasher)
    {
        _hasher = hasher;
        _users = users;
        _audit = audit;
        _tokens = tokens;
        _time = time;
        _fingerprints = fingerprints;
        _decoyHash = new Lazy<string>(() => _hasher.HashPassword(null!, Guid.NewGuid().ToString()));
    }

    /// <summary>Validates and creates a user. Returns the user, or the field and message at fault.</summary>
    public async Task<(User? User, string? Field, string? Error, bool Conflict)> CreateAsync(
        string? username, string? password, string? email, string? name, bool isAdmin, long? actorUserId, string? ipAddress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(username) || username.Length > 255 || !UsernamePattern().IsMatch(username))
        {
            return (null, "username", "username must be 1–255 letters, digits, '_', '-' or '.', and must not start with '-' or '.'.", false);
        }

        if (PasswordProblem(password) is { } problem)
        {
            return (null, "password", problem, false);
        }

        if (email is not null && (email.Length > 255 || !EmailPattern().IsMatch(email)))
        {
            return (null, "email", "email is not a valid address.", false);
        }

        if (name is not null && name.Length > 255)
        {
            return (null, "name", "name is too long (maximum is 255 characters).", false);
        }

        var now = _time.GetUtcNow();
        var user = await _users.CreateAsync(new NewUser(username, email, name, _hasher.HashPassword(null!, password!), isAdmin, now), cancellationToken);
        if (user is null)
        {
            return (null, "username", "username has already been taken.", true);
        }

        await _audit.AppendAsync(new AuditEntry(AuditActions.UserCreated, now, actorUserId, SubjectUserId: user.Id, IpAddress: ipAddress), cancellationToken);
        return (user, null, null, false);
    }

    /// <summary>What is wrong with a new password, or <c>null</c> when it is acceptable.</summary>
    public static string? PasswordProblem(string? password) => password switch
    {
        null or { Length: < MinimumPasswordLength } => $"password is too short (minimum is {MinimumPasswordLength} characters).",
        { Length: > MaximumPasswordLength } => $"password is too long (maximum is {MaximumPasswordLength} characters).",
        _ => null,
    };

    /// <summary>
    /// Gives a user a new password and ends all their sessions, so whoever knew the old one is signed out. Audited
    /// as <c>user.password_reset</c>. Returns how many sessions were ended.
    /// </summary>
    public async Task<int> ResetPasswordAsync(User user, string password, long? actorUserId, CancellationToken cancellationToken)
    {
        if (PasswordProblem(password) is { } problem)
        {
            throw new ArgumentException(problem, nameof(password));
        }

        if (!await _users.SetPasswordHashAsync(user.Id, _hasher.HashPassword(user, password), cancellationToken))
        {
            throw new InvalidOperationException($"User {user.Id} no longer exists.");
        }

        await _audit.AppendAsync(new AuditEntry(AuditActions.UserPasswordReset, _time.GetUtcNow(), actorUserId, SubjectUserId: user.Id), cancellationToken);
        return await _tokens.EndSessionsAsync(user.Id, "password reset", cancellationToken);
    }

    /// <summary>Checks a username and password and opens a session; <c>null</c> for any failure, whichever it was.</summary>
    public async Task<IssuedToken?> SignInAsync(string username, string password, string? ipAddress, CancellationToken cancellationToken)
    {
        var user = username.Length <= 255 ? await _users.FindByUsernameAsync(username, cancellationToken) : null;
        var verdict = _hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? _decoyHash.Value, password);
        if (user is null || verdict == PasswordVerificationResult.Failed || !user.IsActive)
        {
            // A known account is named by its id. An unknown username may be a password typed in the wrong field,
            // so only its keyed fingerprint is kept: repeated attempts with it still show up as one.
            var entry = user is not null
                ? new AuditEntry(AuditActions.SignInFailed, _time.GetUtcNow(), null, SubjectUserId: user.Id, IpAddress: ipAddress)
                : new AuditEntry(AuditActions.SignInFailed, _time.GetUtcNow(), null, IpAddress: ipAddress, Details: $"unknown_username={_fingerprints.Fingerprint("sign-in username", username.ToUpperInvariant())}");
            await _audit.AppendAsync(entry, cancellationToken);
            return null;
        }

        return await _tokens.CreateSessionAsync(user, ipAddress, cancellationToken);
    }

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
