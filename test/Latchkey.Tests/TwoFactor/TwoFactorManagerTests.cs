using Latchkey.Auditing;
using Latchkey.Stores;
using Latchkey.Tests.Fakes;
using Latchkey.Tokens;
using Latchkey.Users;
using OtpNet;

namespace Latchkey.Tests.TwoFactor;

public sealed class TwoFactorManagerTests
{
    private const string Password = "correct-horse-battery";
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Enrolment_confirmed_with_a_current_code_turns_two_factor_on_with_ten_recovery_codes_and_is_audited()
    {
        var engine = new EngineBuilder().Build();
        var grace = await CreateAsync(engine, "grace");

        var enrolment = await engine.TwoFactor.StartAsync(Engine.ActorFor(grace), None);
        Assert.True(enrolment.Succeeded);
        Assert.Equal($"otpauth://totp/Latchkey:grace?secret={enrolment.Value.Secret}&issuer=Latchkey", enrolment.Value.OtpAuthUri);
        Assert.False((await engine.Users.FindAsync(grace.Id, None))!.HasTwoFactor);
        Assert.Equal(enrolment.Value, await engine.TwoFactor.GetPendingAsync(Engine.ActorFor(grace), None));

        var codes = await engine.TwoFactor.ConfirmAsync(Engine.ActorFor(grace), CodeNow(engine, enrolment.Value.Secret), None);

        Assert.True(codes.Succeeded, codes.Error?.Message);
        Assert.Equal(10, codes.Value.Count);
        var user = (await engine.Users.FindAsync(grace.Id, None))!;
        Assert.Equal(engine.Now, user.TwoFactorEnabledAt);
        var audit = Assert.Single(engine.Audit.Entries(AuditActions.UserTwoFactorEnabled));
        Assert.Equal((grace.Id, grace.Id, Engine.ClientIp), (audit.ActorUserId, audit.SubjectUserId, audit.IpAddress));
        Assert.Equal(new TwoFactorStatus(true, engine.Now, false, 10), await engine.TwoFactor.GetStatusAsync(grace.Id, None));
        Assert.Null(await engine.TwoFactor.GetPendingAsync(Engine.ActorFor(grace), None));
    }

    [Fact]
    public async Task The_key_is_stored_only_encrypted_and_recovery_codes_only_as_hashes()
    {
        var engine = new EngineBuilder().Build();
        var (grace, secret, codes) = await EnrolAsync(engine, "grace");

        var stored = (await engine.Users.GetTwoFactorAsync(grace.Id, None))!;
        Assert.NotNull(stored.Secret);
        Assert.DoesNotContain(secret, stored.Secret, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(Base32Encoding.ToBytes(secret)), stored.Secret, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Base32Encoding.ToBytes(secret), engine.Protector.Unprotect(stored.Secret));
        Assert.Null(stored.PendingSecret);

        var hashes = await engine.Users.ListRecoveryCodesAsync(grace.Id, None);
        Assert.Equal(10, hashes.Count);
        Assert.All(hashes, code => Assert.Equal(engine.Keys.CurrentKeyId, code.KeyId));
        Assert.Empty(hashes.Select(h => Convert.ToHexString(h.Hash.ToArray())).Intersect(codes, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_wrong_code_does_not_confirm_and_a_restart_replaces_the_pending_key()
    {
        var engine = new EngineBuilder().Build();
        var grace = await CreateAsync(engine, "grace");
        var first = (await engine.TwoFactor.StartAsync(Engine.ActorFor(grace), None)).Value!;

        var wrong = await engine.TwoFactor.ConfirmAsync(Engine.ActorFor(grace), "000000" == CodeNow(engine, first.Secret) ? "111111" : "000000", None);
        var second = (await engine.TwoFactor.StartAsync(Engine.ActorFor(grace), None)).Value!;
        var withOldKey = await engine.TwoFactor.ConfirmAsync(Engine.ActorFor(grace), CodeNow(engine, first.Secret), None);

        Assert.Equal((TokenErrorCode.Invalid, "otp", TokenErrorReason.TwoFactorCodeIncorrect), (wrong.Error!.Code, wrong.Error.Field, wrong.Error.Reason));
        Assert.NotEqual(first.Secret, second.Secret);
        Assert.Equal(TokenErrorReason.TwoFactorCodeIncorrect, withOldKey.Error!.Reason);
        Assert.True((await engine.TwoFactor.ConfirmAsync(Engine.ActorFor(grace), CodeNow(engine, second.Secret), None)).Succeeded);
        Assert.Empty(engine.Audit.Entries(AuditActions.SignInFailed));
    }

    [Fact]
    public async Task Enrolling_again_while_enabled_or_confirming_without_a_start_is_a_conflict()
    {
        var engine = new EngineBuilder().Build();
        var (grace, _, _) = await EnrolAsync(engine, "grace");
        var alan = await CreateAsync(engine, "alan");

        var again = await engine.TwoFactor.StartAsync(Engine.ActorFor(grace), None);
        var unstarted = await engine.TwoFactor.ConfirmAsync(Engine.ActorFor(alan), "123456", None);

        Assert.Equal((TokenErrorCode.Conflict, TokenErrorReason.TwoFactorEnabled), (again.Error!.Code, again.Error.Reason));
        Assert.Equal((TokenErrorCode.Conflict, TokenErrorReason.TwoFactorNotEnabled), (unstarted.Error!.Code, unstarted.Error.Reason));
    }

    [Fact]
    public async Task A_code_is_accepted_once_and_neither_it_nor_an_older_one_again()
    {
        var engine = new EngineBuilder().Build();
        var (grace, secret, _) = await EnrolAsync(engine, "grace");
        var user = (await engine.Users.FindAsync(grace.Id, None))!;

        // The enrolment's own code is spent: the next step's is needed.
        Assert.Equal(SecondFactor.None, await engine.TwoFactor.VerifyAsync(user, CodeNow(engine, secret), null, None));
        engine.Time.Advance(TimeSpan.FromSeconds(30));
        var code = CodeNow(engine, secret);
        var previous = CodeAt(secret, engine.Now.AddSeconds(-30));

        // As the app shows it, "123 456".
        Assert.Equal(SecondFactor.AuthenticatorCode, await engine.TwoFactor.VerifyAsync(user, $"{code[..3]} {code[3..]}", null, None));
        Assert.Equal(SecondFactor.None, await engine.TwoFactor.VerifyAsync(user, code, null, None));
        Assert.Equal(SecondFactor.None, await engine.TwoFactor.VerifyAsync(user, previous, null, None));
    }

    [Fact]
    public async Task A_code_from_the_step_before_or_after_is_accepted_for_clock_drift_but_not_two_steps_away()
    {
        var engine = new EngineBuilder().Build();
        var (grace, secret, _) = await EnrolAsync(engine, "grace");
        var user = (await engine.Users.FindAsync(grace.Id, None))!;
        engine.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(SecondFactor.None, await engine.TwoFactor.VerifyAsync(user, CodeAt(secret, engine.Now.AddSeconds(-60)), null, None));
        Assert.Equal(SecondFactor.None, await engine.TwoFactor.VerifyAsync(user, CodeAt(secret, engine.Now.AddSeconds(90)), null, None));
        Assert.Equal(SecondFactor.AuthenticatorCode, await engine.TwoFactor.VerifyAsync(user, CodeAt(secret, engine.Now.AddSeconds(-30)), null, None));
        Assert.Equal(SecondFactor.AuthenticatorCode, await engine.TwoFactor.VerifyAsync(user, CodeAt(secret, engine.Now.AddSeconds(30)), null, None));
    }

    [Fact]
    public async Task A_recovery_code_works_once_in_any_case_and_its_use_is_audited()
    {
        var engine = new EngineBuilder().Build();
        var (grace, _, codes) = await EnrolAsync(engine, "grace");
        var user = (await engine.Users.FindAsync(grace.Id, None))!;

        Assert.Equal(SecondFactor.RecoveryCode, await engine.TwoFactor.VerifyAsync(user, codes[3].ToUpperInvariant(), "203.0.113.9", None));
        Assert.Equal(SecondFactor.None, await engine.TwoFactor.VerifyAsync(user, codes[3], null, None));
        Assert.Equal(SecondFactor.RecoveryCode, await engine.TwoFactor.VerifyAsync(user, codes[4].Replace("-", string.Empty, StringComparison.Ordinal), null, None));

        Assert.Equal(8, (await engine.TwoFactor.GetStatusAsync(grace.Id, None))!.RecoveryCodesLeft);
        var used = engine.Audit.Entries(AuditActions.UserRecoveryCodeUsed);
        Assert.Equal(2, used.Count);
        Assert.Equal((grace.Id, "203.0.113.9"), (used[0].SubjectUserId, used[0].IpAddress));
    }

    [Fact]
    public async Task Two_requests_with_one_recovery_code_or_one_authenticator_code_let_only_one_through()
    {
        var engine = new EngineBuilder().Build();
        var (grace, secret, codes) = await EnrolAsync(engine, "grace");
        var user = (await engine.Users.FindAsync(grace.Id, None))!;
        engine.Time.Advance(TimeSpan.FromSeconds(30));
        var code = CodeNow(engine, secret);

        var recovery = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => engine.TwoFactor.VerifyAsync(user, codes[0], null, None))));
        var authenticator = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => engine.TwoFactor.VerifyAsync(user, code, null, None))));

        Assert.Single(recovery, factor => factor == SecondFactor.RecoveryCode);
        Assert.Single(authenticator, factor => factor == SecondFactor.AuthenticatorCode);
    }

    [Fact]
    public async Task Regenerating_replaces_every_recovery_code_and_needs_a_code_or_the_password()
    {
        var engine = new EngineBuilder().Build();
        var (grace, _, old) = await EnrolAsync(engine, "grace");
        var actor = Engine.ActorFor(grace);

        var nothing = await engine.TwoFactor.RegenerateRecoveryCodesAsync(actor, null, null, None);
        var wrongPassword = await engine.TwoFactor.RegenerateRecoveryCodesAsync(actor, null, "not-the-password", None);
        var fresh = await engine.TwoFactor.RegenerateRecoveryCodesAsync(actor, null, Password, None);

        Assert.Equal((TokenErrorCode.Invalid, "otp"), (nothing.Error!.Code, nothing.Error.Field));
        Assert.Equal((TokenErrorCode.Invalid, "password", TokenErrorReason.PasswordIncorrect), (wrongPassword.Error!.Code, wrongPassword.Error.Field, wrongPassword.Error.Reason));
        Assert.True(fresh.Succeeded);
        Assert.Empty(fresh.Value.Intersect(old));
        var user = (await engine.Users.FindAsync(grace.Id, None))!;
        Assert.Equal(SecondFactor.None, await engine.TwoFactor.VerifyAsync(user, old[0], null, None));
        Assert.Equal(SecondFactor.RecoveryCode, await engine.TwoFactor.VerifyAsync(user, fresh.Value[0], null, None));
        Assert.Single(engine.Audit.Entries(AuditActions.UserRecoveryCodesRegenerated));
    }

    [Fact]
    public async Task Disabling_with_a_current_code_removes_the_key_and_the_recovery_codes()
    {
        var engine = new EngineBuilder().Build();
        var (grace, secret, _) = await EnrolAsync(engine, "grace");
        engine.Time.Advance(TimeSpan.FromSeconds(30));

        var wrong = await engine.TwoFactor.DisableAsync(Engine.ActorFor(grace), "abcde-fghjk", null, None);
        var disabled = await engine.TwoFactor.DisableAsync(Engine.ActorFor(grace), CodeNow(engine, secret), null, None);

        Assert.Equal(TokenErrorReason.TwoFactorCodeIncorrect, wrong.Error!.Reason);
        Assert.True(disabled.Succeeded);
        Assert.False(disabled.Value.HasTwoFactor);
        Assert.Equal(new TwoFactorSecrets(null, null, null), await engine.Users.GetTwoFactorAsync(grace.Id, None));
        Assert.Empty(await engine.Users.ListRecoveryCodesAsync(grace.Id, None));
        Assert.Single(engine.Audit.Entries(AuditActions.UserTwoFactorDisabled));
        Assert.NotNull((await engine.UserManager.SignInAsync("grace", Password, null, Engine.ClientIp, None)).Session);
    }

    [Fact]
    public async Task An_administrator_resets_someone_elses_two_factor_but_not_their_own_and_nobody_else_can()
    {
        var engine = new EngineBuilder().Build();
        var (grace, _, _) = await EnrolAsync(engine, "grace");
        var (root, _, _) = await EnrolAsync(engine, "root", isAdmin: true);
        var alan = await CreateAsync(engine, "alan");

        var byAlan = await engine.TwoFactor.ResetAsync(Engine.ActorFor(alan), grace.Id, None);
        var own = await engine.TwoFactor.ResetAsync(Engine.ActorFor(root), root.Id, None);
        var reset = await engine.TwoFactor.ResetAsync(Engine.ActorFor(root), grace.Id, None);
        var again = await engine.TwoFactor.ResetAsync(Engine.ActorFor(root), grace.Id, None);

        Assert.Equal(TokenErrorCode.NotFound, byAlan.Error!.Code);
        Assert.Equal((TokenErrorCode.Conflict, TokenErrorReason.OwnAccount), (own.Error!.Code, own.Error.Reason));
        Assert.True(reset.Succeeded);
        Assert.False(reset.Value.HasTwoFactor);
        Assert.Equal(TokenErrorReason.TwoFactorNotEnabled, again.Error!.Reason);
        var audit = Assert.Single(engine.Audit.Entries(AuditActions.UserTwoFactorReset));
        Assert.Equal((root.Id, grace.Id), (audit.ActorUserId, audit.SubjectUserId));
    }

    [Fact]
    public async Task A_user_with_two_factor_needs_a_code_to_sign_in_and_a_wrong_one_fails_like_a_wrong_password()
    {
        var engine = new EngineBuilder().Build();
        var (grace, secret, _) = await EnrolAsync(engine, "grace");
        engine.Time.Advance(TimeSpan.FromSeconds(30));

        var passwordOnly = await engine.UserManager.SignInAsync("grace", Password, null, Engine.ClientIp, None);
        var wrongCode = await engine.UserManager.SignInAsync("grace", Password, "abcde-fghjk", Engine.ClientIp, None);
        var wrongPasswordRightCode = await engine.UserManager.SignInAsync("grace", "wrong-password!", CodeNow(engine, secret), Engine.ClientIp, None);
        var withCode = await engine.UserManager.SignInAsync("grace", Password, CodeNow(engine, secret), Engine.ClientIp, None);

        Assert.Equal((SignInOutcome.SecondFactorRequired, grace.Id), (passwordOnly.Outcome, passwordOnly.UserId));
        Assert.Null(passwordOnly.Session);
        Assert.Null((await engine.UserManager.SignInAsync("grace", Password, null, Engine.ClientIp, None)).Session);
        Assert.Same(SignInResult.Failed, wrongCode);
        Assert.Same(SignInResult.Failed, wrongPasswordRightCode);
        Assert.Equal(SignInOutcome.Succeeded, withCode.Outcome);
        Assert.Equal(TokenKind.Session, (await engine.AuthenticateAsync(withCode.Session!.Secret)).Kind);
        Assert.Equal(2, engine.Audit.Entries(AuditActions.SignInFailed).Count);
    }

    [Fact]
    public async Task The_second_step_takes_a_recovery_code_once_and_refuses_a_blocked_user()
    {
        var engine = new EngineBuilder().Build();
        var (grace, _, codes) = await EnrolAsync(engine, "grace");

        var first = await engine.UserManager.SignInWithSecondFactorAsync(grace.Id, codes[0], Engine.ClientIp, None);
        var reused = await engine.UserManager.SignInWithSecondFactorAsync(grace.Id, codes[0], Engine.ClientIp, None);
        await engine.BlockAsync(grace);
        var blocked = await engine.UserManager.SignInWithSecondFactorAsync(grace.Id, codes[1], Engine.ClientIp, None);

        Assert.NotNull(first.Session);
        Assert.Same(SignInResult.Failed, reused);
        Assert.Same(SignInResult.Failed, blocked);
        Assert.Equal(9, (await engine.TwoFactor.GetStatusAsync(grace.Id, None))!.RecoveryCodesLeft);
    }

    [Fact]
    public async Task Under_a_required_policy_sign_in_works_during_the_grace_period_then_yields_only_an_enrolment_session()
    {
        var engine = new EngineBuilder().Build();
        engine.TwoFactorPolicy.CurrentValue = new TwoFactorOptions { Required = true, GracePeriod = TimeSpan.FromDays(3) };
        var grace = await CreateAsync(engine, "grace");
        var firstSignIn = engine.Now;

        var during = await engine.UserManager.SignInAsync("grace", Password, null, Engine.ClientIp, None);
        Assert.True((await engine.AuthenticateAsync(during.Session!.Secret)).Granted.IsFullAccess);
        engine.Time.Advance(TimeSpan.FromDays(2));
        var later = await engine.UserManager.SignInAsync("grace", Password, null, Engine.ClientIp, None);
        engine.Time.Advance(TimeSpan.FromDays(1));
        var after = await engine.UserManager.SignInAsync("grace", Password, null, Engine.ClientIp, None);

        Assert.Equal((false, firstSignIn.AddDays(3)), (during.EnrolmentOnly, during.TwoFactorDueBy));
        Assert.Equal((false, firstSignIn.AddDays(3)), (later.EnrolmentOnly, later.TwoFactorDueBy));
        Assert.True(after.EnrolmentOnly);
        var limited = await engine.AuthenticateAsync(after.Session!.Secret);
        Assert.Equal([TwoFactorManager.EnrolmentScope], limited.Scopes);
        Assert.False(limited.Granted.IsFullAccess);
        Assert.False(limited.Granted.Grants("api"));
        Assert.Equal(engine.Now + engine.TwoFactorPolicy.CurrentValue.EnrolmentSessionLifetime, limited.ExpiresAt);

        // Enrolling from that session lifts the limit at the next sign-in.
        var enrolment = (await engine.TwoFactor.StartAsync(Engine.ActorFor(grace), None)).Value!;
        Assert.True((await engine.TwoFactor.ConfirmAsync(Engine.ActorFor(grace), CodeNow(engine, enrolment.Secret), None)).Succeeded);
        engine.Time.Advance(TimeSpan.FromSeconds(30));
        var enrolled = await engine.UserManager.SignInAsync("grace", Password, CodeNow(engine, enrolment.Secret), Engine.ClientIp, None);
        Assert.Equal((false, null), (enrolled.EnrolmentOnly, enrolled.TwoFactorDueBy));
    }

    [Fact]
    public async Task Without_the_policy_nothing_is_due_and_no_grace_period_starts()
    {
        var engine = new EngineBuilder().Build();
        var grace = await CreateAsync(engine, "grace");

        var result = await engine.UserManager.SignInAsync("grace", Password, null, Engine.ClientIp, None);

        Assert.Equal((SignInOutcome.Succeeded, null, false), (result.Outcome, result.TwoFactorDueBy, result.EnrolmentOnly));
        Assert.Null((await engine.Users.FindAsync(grace.Id, None))!.TwoFactorGraceFrom);
    }

    private static async Task<User> CreateAsync(Engine engine, string username, bool isAdmin = false)
    {
        var result = await engine.UserManager.CreateAsync(TokenActor.System, new CreateUserRequest { Username = username, Password = Password, IsAdmin = isAdmin }, None);
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    private static async Task<(User User, string Secret, IReadOnlyList<string> RecoveryCodes)> EnrolAsync(Engine engine, string username, bool isAdmin = false)
    {
        var user = await CreateAsync(engine, username, isAdmin);
        var enrolment = await engine.TwoFactor.StartAsync(Engine.ActorFor(user), None);
        var codes = await engine.TwoFactor.ConfirmAsync(Engine.ActorFor(user), CodeNow(engine, enrolment.Value!.Secret), None);
        Assert.True(codes.Succeeded, codes.Error?.Message);
        return (user, enrolment.Value.Secret, codes.Value);
    }

    private static string CodeNow(Engine engine, string base32) => CodeAt(base32, engine.Now);

    private static string CodeAt(string base32, DateTimeOffset at) => new Totp(Base32Encoding.ToBytes(base32)).ComputeTotp(at.UtcDateTime);
}
