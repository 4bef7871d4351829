using Latchkey.AspNetCore;
using Latchkey.Server.Users;
using Latchkey.Stores;
using Latchkey.Tokens;
using Latchkey.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Server.Pages.UserSettings;

/// <summary>
/// <c>/-/user_settings/account</c>: who you are, a new password (the current one needed; your other sessions end,
/// this one stays, your tokens keep working — <see cref="UserManager.ChangePasswordAsync"/>), and your sessions,
/// each of which you can end.
/// </summary>
internal sealed class AccountModel : PageModel
{
    private const string NoticeKey = "notice";
    private const int MaxSessionsShown = 100;

    private readonly UserManager _users;
    private readonly TokenManager _tokens;
    private readonly SignInThrottle _throttle;

    public AccountModel(UserManager users, TokenManager tokens, SignInThrottle throttle, TimeProvider time)
    {
        _users = users;
        _tokens = tokens;
        _throttle = throttle;
        Now = time.GetUtcNow();
    }

    [BindProperty(Name = "current_password")]
    public string? CurrentPassword { get; set; }

    [BindProperty(Name = "new_password")]
    public string? NewPassword { get; set; }

    [BindProperty(Name = "password_confirmation")]
    public string? PasswordConfirmation { get; set; }

    public DateTimeOffset Now { get; }

    public User? Profile { get; private set; }

    public long CurrentSessionId { get; private set; }

    public IReadOnlyList<PersonalAccessToken> Sessions { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Notice = TempData[NoticeKey] as string;
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        // Guesses at the current password count as failed sign-ins: a stolen session must not become a password oracle.
        var client = HttpContext.Connection.RemoteIpAddress;
        var username = HttpContext.GetLatchkeyToken()!.Username;
        if (_throttle.IsLimited(client, username, out var retryAfter))
        {
            Errors["form"] = $"Too many failed password checks. Try again in {Wording.Duration(retryAfter)}.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return await ShowAsync();
        }

        if (NewPassword != PasswordConfirmation)
        {
            Errors["password_confirmation"] = "The two new passwords are not the same.";
        }
        else
        {
            var changed = await _users.ChangePasswordAsync(UiSession.Actor(HttpContext), CurrentPassword, NewPassword, HttpContext.RequestAborted);
            if (changed.Succeeded)
            {
                TempData[NoticeKey] = "Your password was changed. Your other sessions were signed out; your personal access tokens keep working.";
                return RedirectToPage();
            }

            var error = changed.Error;
            switch (error.Reason)
            {
                case TokenErrorReason.PasswordIncorrect:
                    _throttle.RecordFailure(client, username);
                    Errors["current_password"] = "This is not your current password.";
                    break;
                case TokenErrorReason.PasswordTooShort:
                    Errors["new_password"] = $"The new password is too short: at least {error.Limit} characters.";
                    break;
                case TokenErrorReason.PasswordTooLong:
                    Errors["new_password"] = $"The new password is too long: at most {error.Limit} characters.";
                    break;
                default:
                    Errors["form"] = error.Message;
                    break;
            }
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostRevokeSessionAsync(long id)
    {
        var actor = UiSession.Actor(HttpContext);
        var session = await _tokens.GetAsync(actor, id, HttpContext.RequestAborted);
        if (!session.Succeeded || session.Value.Kind != TokenKind.Session)
        {
            return NotFound();
        }

        await _tokens.RevokeAsync(actor, id, HttpContext.RequestAborted);
        if (id == HttpContext.GetLatchkeyToken()!.TokenId)
        {
            UiSession.End(HttpContext);
            return Redirect(UiDefaults.SignInPath);
        }

        TempData[NoticeKey] = "The session was signed out.";
        return RedirectToPage();
    }

    private async Task<IActionResult> ShowAsync()
    {
        var actor = UiSession.Actor(HttpContext);
        var profile = await _users.GetAsync(actor, actor.UserId, HttpContext.RequestAborted);
        if (!profile.Succeeded)
        {
            return NotFound();
        }

        Profile = profile.Value;
        CurrentSessionId = HttpContext.GetLatchkeyToken()!.TokenId;
        var sessions = await _tokens.ListAsync(actor, new TokenQuery { Kind = TokenKind.Session, Active = true, PerPage = MaxSessionsShown, Sort = TokenSort.CreatedDesc }, HttpContext.RequestAborted);
        Sessions = sessions.Items;
        return Page();
    }
}
