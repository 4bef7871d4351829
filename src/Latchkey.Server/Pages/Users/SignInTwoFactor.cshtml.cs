using Latchkey.Server.Users;
using Latchkey.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Server.Pages.Users;

/// <summary>
/// <c>/users/sign_in/two_factor</c>: the second step of a sign-in whose password was right — a current code from the
/// authenticator app or an unused recovery code (<see cref="UserManager.SignInWithSecondFactorAsync"/>). The pending
/// sign-in is the <see cref="PendingSignIn"/> cookie; wrong codes are limited per user (<see cref="SecondFactorThrottle"/>).
/// </summary>
internal sealed class SignInTwoFactorModel : PageModel
{
    public const string Failed = "Invalid authentication code.";

    private readonly UserManager _users;
    private readonly PendingSignIn _pending;
    private readonly SecondFactorThrottle _throttle;

    public SignInTwoFactorModel(UserManager users, PendingSignIn pending, SecondFactorThrottle throttle)
    {
        _users = users;
        _pending = pending;
        _throttle = throttle;
    }

    [BindProperty(Name = "otp")]
    public string? Code { get; set; }

    [BindProperty(Name = UiDefaults.ReturnToParameter, SupportsGet = true)]
    public string? ReturnTo { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() => _pending.Read(HttpContext) is null ? StartOver() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (_pending.Read(HttpContext) is not { } userId)
        {
            return StartOver();
        }

        if (string.IsNullOrWhiteSpace(Code) || Code.Length > 64)
        {
            Error = "Enter the 6-digit code from your authenticator app, or a recovery code.";
            return Refused(StatusCodes.Status400BadRequest);
        }

        // Before the code is looked at, as for passwords: a code checked while limited would tell a guesser when it was right.
        if (_throttle.IsLimited(userId, out var retryAfter))
        {
            Error = $"Too many wrong codes. Try again in {Wording.Duration(retryAfter)}.";
            return Refused(StatusCodes.Status429TooManyRequests);
        }

        var result = await _users.SignInWithSecondFactorAsync(userId, Code, HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.RequestAborted);
        if (result.Session is not { } session)
        {
            _throttle.RecordFailure(userId);
            Error = Failed;
            return Refused(StatusCodes.Status401Unauthorized);
        }

        PendingSignIn.End(HttpContext);
        UiSession.Start(HttpContext, session);
        return Redirect(UiSession.SafeReturnTo(ReturnTo));
    }

    // No pending sign-in (expired, or never started): the password again.
    private RedirectResult StartOver()
        => Redirect(UiSession.WithReturnTo(UiDefaults.SignInPath, ReturnTo));

    private PageResult Refused(int status)
    {
        Code = null;
        Response.StatusCode = status;
        return Page();
    }
}
