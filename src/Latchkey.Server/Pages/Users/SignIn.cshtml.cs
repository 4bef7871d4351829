using Latchkey.Server.Users;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Server.Pages.Users;

/// <summary>
/// <c>/users/sign_in</c>: username and password through <see cref="UserManager.SignInAsync"/>, throttled like
/// <c>POST /api/session</c>, one message for every failure. On success the browser gets its session cookie
/// (<see cref="UiSession.Start"/>) and goes where it was going.
/// </summary>
internal sealed class SignInModel : PageModel
{
    public const string Failed = "Invalid username or password.";

    private readonly UserManager _users;
    private readonly SignInThrottle _throttle;

    public SignInModel(UserManager users, SignInThrottle throttle)
    {
        _users = users;
        _throttle = throttle;
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

        var session = await _users.SignInAsync(Username, Password, client?.ToString(), HttpContext.RequestAborted);
        if (session is null)
        {
            _throttle.RecordFailure(client, Username);

            // One answer for unknown user and wrong password: don't reveal which usernames exist.
            Error = Failed;
            return Refused(StatusCodes.Status401Unauthorized);
        }

        return SignedIn(session);
    }

    /// <summary>
    /// The end of a sign-in: cookie, then the page asked for. A user with a second factor does not come here from the
    /// password alone; the two-factor step (<c>/users/sign_in/two_factor</c>) ends the same way once the code is checked.
    /// </summary>
    private RedirectResult SignedIn(IssuedToken session)
    {
        UiSession.Start(HttpContext, session);
        return Redirect(UiSession.SafeReturnTo(ReturnTo));
    }

    private PageResult Refused(int status)
    {
        Password = null;
        Response.StatusCode = status;
        return Page();
    }
}
