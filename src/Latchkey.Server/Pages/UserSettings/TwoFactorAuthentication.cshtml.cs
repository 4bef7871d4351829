using Latchkey.AspNetCore;
using Latchkey.Server.Users;
using Latchkey.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;

namespace Latchkey.Server.Pages.UserSettings;

/// <summary>
/// <c>/-/profile/two_factor_auth</c> (GitLab's address): the status; enabling (a QR code and the key in groups of
/// four, confirmed with a current code); the ten recovery codes, shown once; new recovery codes; disabling. Each
/// step is <see cref="TwoFactorManager"/>'s; wrong codes and passwords are limited per user
/// (<see cref="SecondFactorThrottle"/>). Like every page, no answer is stored (<see cref="UiSecurityHeaders"/>).
/// </summary>
internal sealed class TwoFactorAuthenticationModel : PageModel
{
    private const string NoticeKey = "two_factor_notice";

    private readonly TwoFactorManager _twoFactor;
    private readonly UserManager _users;
    private readonly SecondFactorThrottle _throttle;

    public TwoFactorAuthenticationModel(TwoFactorManager twoFactor, UserManager users, SecondFactorThrottle throttle, TimeProvider time)
    {
        _twoFactor = twoFactor;
        _users = users;
        _throttle = throttle;
        Now = time.GetUtcNow();
    }

    [BindProperty(Name = "otp")]
    public string? Code { get; set; }

    [BindProperty(Name = "password")]
    public string? Password { get; set; }

    [BindProperty(Name = UiDefaults.ReturnToParameter, SupportsGet = true)]
    public string? ReturnTo { get; set; }

    public DateTimeOffset Now { get; }

    public TwoFactorStatus Status { get; private set; } = new(false, null, false, 0);

    /// <summary>The enrolment waiting for its first code: its key, grouped, and its URI as a QR code.</summary>
    public TwoFactorEnrolment? Pending { get; private set; }

    public string? QrCodeDataUri { get; private set; }

    /// <summary>Recovery codes just made, shown in this answer only.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    /// <summary>Under a policy that requires two-factor authentication: by when (past it, this session can only enrol).</summary>
    public DateTimeOffset? DueBy { get; private set; }

    public bool EnrolmentOnly { get; private set; }

    public string? Notice { get; private set; }

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync()
    {
        Notice = TempData[NoticeKey] as string;
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        var started = await _twoFactor.StartAsync(UiSession.Actor(HttpContext), HttpContext.RequestAborted);
        if (!started.Succeeded)
        {
            TempData[NoticeKey] = "Two-factor authentication is already enabled.";
        }

        // Post, redirect, get: the key is shown by the page itself, so a reload shows the same one rather than a new one.
        return RedirectToPage(new { return_to = ReturnTo });
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        var actor = UiSession.Actor(HttpContext);
        if (_throttle.IsLimited(actor.UserId, out var retryAfter))
        {
            return await TooManyAsync(retryAfter);
        }

        var confirmed = await _twoFactor.ConfirmAsync(actor, Code?.Trim(), HttpContext.RequestAborted);
        if (!confirmed.Succeeded)
        {
            return await RefusedAsync(actor.UserId, confirmed.Error, "otp");
        }

        RecoveryCodes = confirmed.Value;
        Notice = "Two-factor authentication is enabled. Save your recovery codes now: they are shown only this once.";
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostRegenerateAsync()
    {
        var actor = UiSession.Actor(HttpContext);
        if (_throttle.IsLimited(actor.UserId, out var retryAfter))
        {
            return await TooManyAsync(retryAfter);
        }

        var codes = await _twoFactor.RegenerateRecoveryCodesAsync(actor, Blank(Code), Blank(Password), HttpContext.RequestAborted);
        if (!codes.Succeeded)
        {
            return await RefusedAsync(actor.UserId, codes.Error, "regenerate");
        }

        RecoveryCodes = codes.Value;
        Notice = "New recovery codes were made; the old ones no longer work. Save these now: they are shown only this once.";
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var actor = UiSession.Actor(HttpContext);
        if (_throttle.IsLimited(actor.UserId, out var retryAfter))
        {
            return await TooManyAsync(retryAfter);
        }

        var disabled = await _twoFactor.DisableAsync(actor, Blank(Code), Blank(Password), HttpContext.RequestAborted);
        if (!disabled.Succeeded)
        {
            return await RefusedAsync(actor.UserId, disabled.Error, "disable");
        }

        TempData[NoticeKey] = "Two-factor authentication is disabled. Your recovery codes no longer work.";
        return RedirectToPage();
    }

    // Checked before the code or password is: one checked while limited would tell a guesser when it was right.
    private async Task<IActionResult> TooManyAsync(TimeSpan retryAfter)
    {
        Errors["form"] = $"Too many wrong codes. Try again in {Wording.Duration(retryAfter)}.";
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        return await ShowAsync();
    }

    private async Task<IActionResult> RefusedAsync(long userId, TokenError error, string form)
    {
        switch (error.Reason)
        {
            case TokenErrorReason.TwoFactorCodeIncorrect:
                _throttle.RecordFailure(userId);
                Errors[form] = form == "otp"
                    ? "That code is not correct. Check that your device's clock is right, and enter the code it shows now."
                    : "That code is not correct.";
                break;
            case TokenErrorReason.PasswordIncorrect:
                _throttle.RecordFailure(userId);
                Errors[form] = "That is not your password.";
                break;
            default:
                Errors[form] = error.Code == TokenErrorCode.Invalid
                    ? "Enter a code from your authenticator app, a recovery code, or your password."
                    : error.Message;
                break;
        }

        Code = null;
        Password = null;
        Response.StatusCode = error.Code == TokenErrorCode.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return await ShowAsync();
    }

    private async Task<PageResult> ShowAsync()
    {
        var actor = UiSession.Actor(HttpContext);
        Status = await _twoFactor.GetStatusAsync(actor.UserId, HttpContext.RequestAborted) ?? Status;
        EnrolmentOnly = HttpContext.GetLatchkeyToken()!.Scopes is [TwoFactorManager.EnrolmentScope];
        if (!Status.Enabled)
        {
            DueBy = await _users.GetTwoFactorDueByAsync(actor, HttpContext.RequestAborted);
            Pending = await _twoFactor.GetPendingAsync(actor, HttpContext.RequestAborted);
            if (Pending is not null)
            {
                using var generator = new QRCodeGenerator();
                using var data = generator.CreateQrCode(Pending.OtpAuthUri, QRCodeGenerator.ECCLevel.M);
                QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
            }
        }

        return Page();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
