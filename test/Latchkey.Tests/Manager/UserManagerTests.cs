using Latchkey.Auditing;
using Latchkey.Policy;
using Latchkey.Stores;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Latchkey.Tests.Manager;

public sealed class UserManagerTests
{
    private const string Password = "correct-horse-battery";
    private const string NewPassword = "a-brand-new-passphrase";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_created_user_signs_in_and_the_creation_is_audited_with_who_did_it()
    {
        var engine = new EngineBuilder().Build();
        var root = await CreateAsync(engine, "root", isAdmin: true);

        var grace = await CreateAsync(engine, "grace", actor: Engine.ActorFor(root));

        Assert.NotNull(await SignInAsync(engine, "GRACE", Password));
        var audit = engine.Audit.Entries(AuditActions.UserCreated)[^1];
        Assert.Equal((root.Id, grace.Id, Engine.ClientIp), (audit.ActorUserId, audit.SubjectUserId, audit.IpAddress));
    }

    [Theory]
    [InlineData("", Password, null, "username", TokenErrorReason.UsernameInvalid)]
    [InlineData("-dash", Password, null, "username", TokenErrorReason.UsernameInvalid)]
    [InlineData("grace", "short", null, "password", TokenErrorReason.PasswordTooShort)]
    [InlineData("grace", Password, "not-an-address", "email", TokenErrorReason.EmailInvalid)]
    public async Task Bad_fields_are_refused_with_the_field_and_the_rule(string username, string password, string? email, string field, TokenErrorReason reason)
    {
        var engine = new EngineBuilder().Build();

        var result = await engine.UserManager.CreateAsync(TokenActor.System, new CreateUserRequest { Username = username, Password = password, Email = email }, None);

        Assert.Equal((TokenErrorCode.Invalid, field, reason), (result.Error!.Code, result.Error.Field, result.Error.Reason));
        Assert.Equal(0, await engine.Users.CountAsync(None));
        Assert.Empty(engine.Audit.Events);
    }

    [Fact]
    public async Task A_taken_username_is_refused_in_any_case_and_only_administrators_create_users()
    {
        var engine = new EngineBuilder().Build();
        var grace = await CreateAsync(engine, "grace");

        var taken = await engine.UserManager.CreateAsync(TokenActor.System, new CreateUserRequest { Username = "Grace", Password = Password }, None);
        var notAdmin = await engine.UserManager.CreateAsync(Engine.ActorFor(grace), new CreateUserRequest { Username = "alan", Password = Password }, None);

        Assert.Equal((TokenErrorCode.NameTaken, "username"), (taken.Error!.Code, taken.Error.Field));
        Assert.Equal(TokenErrorCode.Forbidden, notAdmin.Error!.Code);
        Assert.Single(engine.Audit.Entries(AuditActions.UserCreated));
    }

    [Fact]
    public async Task Every_failed_sign_in_gives_the_same_answer_and_is_audited()
    {
        var engine = new EngineBuilder().Build();
        var grace = await CreateAsync(engine, "grace");
        var blocked = await CreateAsync(engine, "blocked");
        await engine.BlockAsync(blocked);

        Assert.Null(await SignInAsync(engine, "grace", "wrong-password"));
        Assert.Null(await SignInAsync(engine, "nobody", Password));
        Assert.Null(await SignInAsync(engine, "blocked", Password));
        Assert.Null(await SignInAsync(engine, new string('x', 300), Password));

        var failures = engine.Audit.Entries(AuditActions.SignInFailed);
        Assert.Equal(4, failures.Count);
        Assert.Equal([grace.Id, null, blocked.Id, null], failures.Select(f => f.SubjectUserId));
        Assert.StartsWith("unknown_username=", failures[1].Details);
        Assert.DoesNotContain("nobody", failures[1].Details);
    }

    [Fact]
    public async Task A_hash_made_at_a_lower_cost_is_replaced_at_sign_in_and_still_verifies()
    {
        var engine = new EngineBuilder().Build();
        var cheap = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = Engine.PasswordIterations / 2 }));
        var user = (await engine.Users.CreateAsync(new NewUser("old", null, null, cheap.HashPassword(null!, Password), false, engine.Now), None))!;

        Assert.NotNull(await SignInAsync(engine, "old", Password));

        var rehashed = (await engine.Users.FindAsync(user.Id, None))!.PasswordHash;
        Assert.NotEqual(user.PasswordHash, rehashed);
        Assert.Equal(PasswordVerificationResult.Success, engine.PasswordHasher.VerifyHashedPassword(user, rehashed, Password));
        Assert.NotNull(await SignInAsync(engine, "old", Password));
    }

    [Fact]
    public async Task Checking_a_password_opens_no_session_and_fails_exactly_like_a_sign_in()
    {
        var engine = new EngineBuilder().Build();
        var grace = await CreateAsync(engine, "grace");
        var blocked = await CreateAsync(engine, "blocked");
        await engine.BlockAsync(blocked);
        var tokensBefore = engine.Tokens.Count;

        var right = await engine.UserManager.CheckPasswordAsync("Grace", Password, Engine.ClientIp, None);
        var wrong = await engine.UserManager.CheckPasswordAsync("grace", "wrong-password", Engine.ClientIp, None);
        var unknown = await engine.UserManager.CheckPasswordAsync("nobody", Password, Engine.ClientIp, None);
        var refused = await engine.UserManager.CheckPasswordAsync("blocked", Password, Engine.ClientIp, None);

        Assert.Equal((SignInOutcome.Succeeded, grace.Id), (right.Outcome, right.User!.Id));
        Assert.Equal([SignInOutcome.Failed, SignInOutcome.Failed, SignInOutcome.Failed], new[] { wrong.Outcome, unknown.Outcome, refused.Outcome });
        Assert.Equal(tokensBefore, engine.Tokens.Count);
        Assert.Equal([grace.Id, null, blocked.Id], engine.Audit.Entries(AuditActions.SignInFailed).Select(f => f.SubjectUserId));
    }

    [Fact]
    public async Task A_password_alone_is_not_enough_once_a_required_second_factor_is_due()
    {
        var engine = new EngineBuilder().Build();
        await CreateAsync(engine, "grace");
        engine.TwoFactorPolicy.CurrentValue = new TwoFactorOptions { Required = true, GracePeriod = TimeSpan.Zero };

        var check = await engine.UserManager.CheckPasswordAsync("grace", Password, Engine.ClientIp, None);

        Assert.Equal(SignInOutcome.SecondFactorRequired, check.Outcome);
        Assert.Null(check.User);
    }

    [Fact]
    public async Task Changing_your_password_needs_the_current_one_and_ends_only_your_other_sessions()
    {
        var engine = new EngineBuilder().Build();
        var grace = await CreateAsync(engine, "grace");
        var current = (await SignInAsync(engine, "grace", Password))!;
        var other = (await SignInAsync(engine, "grace", Password))!;
        var pat = await engine.IssueAsync(grace);
        await engine.AuthenticateAsync(other.Secret);
        var actor = Engine.ActorFor(await engine.AuthenticateAsync(current.Secret));

        var wrong = await engine.UserManager.ChangePasswordAsync(actor, "not-it", NewPassword, None);
        var weak = await engine.UserManager.ChangePasswordAsync(actor, Password, "short", None);
        var changed = await engine.UserManager.ChangePasswordAsync(actor, Password, NewPassword, None);

        Assert.Equal(("current_password", TokenErrorReason.PasswordIncorrect), (wrong.Error!.Field, wrong.Error.Reason));
        Assert.Equal(("new_password", TokenErrorReason.PasswordTooShort), (weak.Error!.Field, weak.Error.Reason));
        Assert.True(changed.Succeeded);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(other.Secret)).Failure);
        Assert.True((await engine.ValidateAsync(current.Secret)).Succeeded);
        Assert.True((await engine.ValidateAsync(pat.Secret)).Succeeded);
        Assert.Null(await SignInAsync(engine, "grace", Password));
        Assert.NotNull(await SignInAsync(engine, "grace", NewPassword));
        Assert.Single(engine.Audit.Entries(AuditActions.UserPasswordChanged));
    }

    [Fact]
    public async Task A_reset_ends_every_session_and_says_how_many()
    {
        var engine = new EngineBuilder().Build();
        var grace = await CreateAsync(engine, "grace");
        var session = (await SignInAsync(engine, "grace", Password))!;
        await engine.AuthenticateAsync(session.Secret);

        var reset = await engine.UserManager.ResetPasswordAsync(TokenActor.System, grace.Id, NewPassword, None);

        Assert.Equal(1, reset.Value);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(session.Secret)).Failure);
        Assert.NotNull(await SignInAsync(engine, "grace", NewPassword));
        var audit = Assert.Single(engine.Audit.Entries(AuditActions.UserPasswordReset));
        Assert.Equal((null, grace.Id), (audit.ActorUserId, audit.SubjectUserId));
    }

    [Fact]
    public async Task Blocking_stops_tokens_on_the_next_request_ends_sessions_and_unblocking_restores_the_tokens()
    {
        var engine = new EngineBuilder().Build();
        var root = await CreateAsync(engine, "root", isAdmin: true);
        var grace = await CreateAsync(engine, "grace");
        var pat = await engine.IssueAsync(grace);
        var session = (await SignInAsync(engine, "grace", Password))!;
        await engine.AuthenticateAsync(pat.Secret);

        var blocked = await engine.UserManager.BlockAsync(Engine.ActorFor(root), grace.Id, None);

        Assert.Equal(UserStates.Blocked, blocked.Value!.State);
        Assert.Equal(TokenFailure.OwnerInactive, (await engine.ValidateAsync(pat.Secret)).Failure);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(session.Secret)).Failure);

        var unblocked = await engine.UserManager.UnblockAsync(Engine.ActorFor(root), grace.Id, None);

        Assert.True(unblocked.Value!.IsActive);
        Assert.True((await engine.ValidateAsync(pat.Secret)).Succeeded);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(session.Secret)).Failure);
        Assert.Equal([root.Id, root.Id], engine.Audit.Entries(AuditActions.UserBlocked).Concat(engine.Audit.Entries(AuditActions.UserUnblocked)).Select(a => a.ActorUserId));
    }

    [Fact]
    public async Task Nobody_can_lock_the_instance_out()
    {
        var engine = new EngineBuilder().Build();
        var root = await CreateAsync(engine, "root", isAdmin: true);
        var self = Engine.ActorFor(root);

        var selfBlock = await engine.UserManager.BlockAsync(self, root.Id, None);
        var selfDelete = await engine.UserManager.DeleteAsync(self, root.Id, None);
        var selfDemote = await engine.UserManager.UpdateAsync(self, root.Id, new UpdateUserRequest { IsAdmin = false }, None);
        var lastBlock = await engine.UserManager.BlockAsync(TokenActor.System, root.Id, None);
        var lastDelete = await engine.UserManager.DeleteAsync(TokenActor.System, root.Id, None);
        var lastDemote = await engine.UserManager.UpdateAsync(TokenActor.System, root.Id, new UpdateUserRequest { IsAdmin = false }, None);

        Assert.All(new[] { selfBlock.Error, selfDelete.Error, selfDemote.Error }, e => Assert.Equal((TokenErrorCode.Conflict, TokenErrorReason.OwnAccount), (e!.Code, e.Reason)));
        Assert.All(new[] { lastBlock.Error, lastDelete.Error, lastDemote.Error }, e => Assert.Equal((TokenErrorCode.Conflict, TokenErrorReason.LastAdministrator), (e!.Code, e.Reason)));
        Assert.Equal(root, await engine.Users.FindAsync(root.Id, None));
    }

    [Fact]
    public async Task Deleting_a_user_refuses_their_tokens_at_once_and_the_audit_names_who_it_was()
    {
        var engine = new EngineBuilder().Build();
        var root = await CreateAsync(engine, "root", isAdmin: true);
        var grace = await CreateAsync(engine, "grace");
        var pat = await engine.IssueAsync(grace);
        await engine.AuthenticateAsync(pat.Secret);

        var deleted = await engine.UserManager.DeleteAsync(Engine.ActorFor(root), grace.Id, None);

        Assert.Equal(grace.Id, deleted.Value!.Id);
        Assert.Equal(TokenFailure.Unknown, (await engine.ValidateAsync(pat.Secret)).Failure);
        Assert.Equal(TokenErrorCode.NotFound, (await engine.UserManager.GetAsync(Engine.ActorFor(root), grace.Id, None)).Error!.Code);
        var audit = Assert.Single(engine.Audit.Entries(AuditActions.UserDeleted));
        Assert.Equal((root.Id, grace.Id, "username=grace"), (audit.ActorUserId, audit.SubjectUserId, audit.Details));
        Assert.Contains(engine.Audit.Entries(AuditActions.TokenCreated), a => a.SubjectUserId == grace.Id);
        Assert.True((await CreateAsync(engine, "grace")).Id > grace.Id);
    }

    [Fact]
    public async Task Other_users_are_not_found_for_a_non_administrator_whatever_the_operation()
    {
        var engine = new EngineBuilder().Build();
        var grace = await CreateAsync(engine, "grace");
        var alan = await CreateAsync(engine, "alan");
        var actor = Engine.ActorFor(grace);
        var manager = engine.UserManager;

        var errors = new[]
        {
            (await manager.GetAsync(actor, alan.Id, None)).Error,
            (await manager.UpdateAsync(actor, alan.Id, new UpdateUserRequest { Name = "x", NameSet = true }, None)).Error,
            (await manager.BlockAsync(actor, alan.Id, None)).Error,
            (await manager.DeleteAsync(actor, alan.Id, None)).Error,
            (await manager.RevokeTokensAsync(actor, alan.Id, None)).Error,
            (await manager.GetAsync(actor, 999, None)).Error,
        };

        Assert.All(errors, e => Assert.Equal(TokenErrorCode.NotFound, e!.Code));
        Assert.Equal(TokenErrorCode.Forbidden, (await manager.BlockAsync(actor, grace.Id, None)).Error!.Code);
        Assert.Equal(TokenErrorCode.Forbidden, (await manager.UpdateAsync(actor, grace.Id, new UpdateUserRequest { IsAdmin = true }, None)).Error!.Code);
        Assert.Equal(alan, await engine.Users.FindAsync(alan.Id, None));
    }

    [Fact]
    public async Task Revoking_a_users_tokens_revokes_personal_tokens_and_what_derives_from_them_but_not_sessions()
    {
        var engine = new EngineBuilder().Build();
        var root = await CreateAsync(engine, "root", isAdmin: true);
        var grace = await CreateAsync(engine, "grace");
        var pat = await engine.IssueAsync(grace);
        var derived = (await engine.Manager.ExchangeAsync(pat.Token, TimeSpan.FromMinutes(5), null, None)).Value!;
        var session = (await SignInAsync(engine, "grace", Password))!;
        await engine.AuthenticateAsync(derived.Secret);

        var revoked = await engine.UserManager.RevokeTokensAsync(Engine.ActorFor(root), grace.Id, None);

        Assert.Equal(2, revoked.Value);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(pat.Secret)).Failure);
        Assert.Equal(TokenFailure.Revoked, (await engine.ValidateAsync(derived.Secret)).Failure);
        Assert.True((await engine.ValidateAsync(session.Secret)).Succeeded);
        Assert.Single(engine.Audit.Entries(AuditActions.UserTokensRevoked));
    }

    [Fact]
    public async Task An_administrator_changes_name_email_and_rights_and_the_users_tokens_follow()
    {
        var engine = new EngineBuilder().Build();
        var root = await CreateAsync(engine, "root", isAdmin: true);
        var grace = await CreateAsync(engine, "grace");
        var pat = await engine.IssueAsync(grace);
        Assert.False((await engine.AuthenticateAsync(pat.Secret)).IsAdmin);

        var updated = await engine.UserManager.UpdateAsync(
            Engine.ActorFor(root), grace.Id, new UpdateUserRequest { Name = "Grace Hopper", NameSet = true, Email = null, EmailSet = true, IsAdmin = true }, None);

        Assert.Equal(grace with { Name = "Grace Hopper", Email = null, IsAdmin = true }, updated.Value);
        Assert.True((await engine.AuthenticateAsync(pat.Secret)).IsAdmin);
        Assert.Single(engine.Audit.Entries(AuditActions.UserUpdated));
    }

    [Fact]
    public void Changes_to_a_user_never_print_the_password_hash()
    {
        var hash = new PasswordHasher<User>().HashPassword(null!, Password);

        var printed = new UserChanges { Name = "Grace Hopper", NameChanged = true, PasswordHash = hash, EndSessions = true }.ToString();

        Assert.DoesNotContain(hash, printed, StringComparison.Ordinal);
    }

    private static async Task<User> CreateAsync(Engine engine, string username, bool isAdmin = false, TokenActor? actor = null)
    {
        var result = await engine.UserManager.CreateAsync(actor ?? TokenActor.System, new CreateUserRequest { Username = username, Password = Password, IsAdmin = isAdmin }, None);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    private static async Task<IssuedToken?> SignInAsync(Engine engine, string username, string password)
        => (await engine.UserManager.SignInAsync(username, password, null, Engine.ClientIp, None)).Session;
}
