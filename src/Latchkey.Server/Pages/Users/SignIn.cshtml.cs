using Latchkey.AspNetCore;
using Latchkey.Server.Users;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Server.Pages.Users;

/// <summary>
/// <c>/users/sign_in</c>: username and password through <see cref="UserManager.SignInAsync(string, string, string, string, CancellationToken)"/>,
/// throttled like <c>POST /api/session</c>, one message for every failure. On success the browser gets its session
/// cookie (<see cref="UiSession.Start"/>) and goes where it was going; a user with two-factor authentication goes on
/// to <c>/users/sign_in/two_factor</c> (<see cref="PendingSignIn"/>), and one who must still enrol to the two-factor page.
/// </summary>
internal sealed class SignInModel : PageModel
{
    public const string Failed = "Invalid username or password.";

    private const string TwoFactorPath = "/users/sign_in/two_factor";
    private const string EnrolPath = "/-/profile/two_factor_auth";

    private readonly UserManager _users;
    private readonly SignInThrottle _throttle;
    private readonly PendingSignIn _pending;

    public SignInModel(UserManager users, SignInThrottle throttle, PendingSignIn pending)
    {
        _users = users;
        _throttle = throttle;
        _pending = pending;
    }

    [BindProperty(Name = "username")]
    public string? Username { get; set; }

    [BindProperty(Name = "password")]
    public string? Password { get; set; }

    [BindProperty(Name = UiDefaults.ReturnToParameter, SupportsGet = true)]
    public string? ReturnTo { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
        => (await HttpContext.AuthenticateAsync(UiDefaults.Scheme)).Succeeded ? Redirect(UiSession.SafeReturnTo(ReturnTo)) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password))
        {
            Error = "Enter your username and your password.";
            return Refused(StatusCodes.Status400BadRequest);
        }

        // Before the password is looked at: verifying it while limited would tell a guesser when it was right.
        var client = HttpContext.Connection.RemoteIpAddress;
        if (_throttle.IsLimited(client, Username, out var retryAfter))
        {
            Error = $"Too many failed sign-ins. Try again in {Wording.Duration(retryAfter)}.";
            return Refused(StatusCodes.Status429TooManyRequests);
        }

        var result = await _users.SignInAsync(Username, Password, null, client?.ToString(), HttpContext.RequestAborted);
        if (result.Outcome == SignInOutcome.SecondFactorRequired)
        {
            // The password was right: only the user id waits, protected and short-lived, for the code.
            _pending.Start(HttpContext, result.UserId!.Value);
            return Redirect(UiSession.WithReturnTo(TwoFactorPath, ReturnTo));
        }

        if (result.Session is not { } session)
        {
            _throttle.RecordFailure(client, Username);

            // One answer for unknown user and wrong password: don't reveal which usernames exist.
            Error = Failed;
            return Refused(StatusCodes.Status401Unauthorized);
        }

        UiSession.Start(HttpContext, session);

        // Two-factor authentication required of everyone and not set up yet: say so (and, past the grace period, insist).
        return result.TwoFactorDueBy is null
            ? Redirect(UiSession.SafeReturnTo(ReturnTo))
            : Redirect(UiSession.WithReturnTo(EnrolPath, ReturnTo));
    }

    private PageResult Refused(int status)
    {
        Password = null;
        Response.StatusCode = status;
        return Page();
    }
}
