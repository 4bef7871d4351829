using Latchkey.Stores;
using Latchkey.Users;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Server.Pages.Admin;

/// <summary>
/// <c>/admin/users/{id}</c>: one user and what an administrator does to them — block or unblock, a new password,
/// revoke all their personal access tokens, reset their two-factor authentication — each a POST that says what happened next, on this page.
/// </summary>
internal sealed class UserModel : AdminPageModel
{
    private readonly UserManager _manager;
    private readonly TwoFactorManager _twoFactor;
    private readonly TokenManager _tokens;

    public UserModel(UserManager manager, TwoFactorManager twoFactor, TokenManager tokens)
    {
        _manager = manager;
        _twoFactor = twoFactor;
        _tokens = tokens;
    }

    [BindProperty(Name = "password")]
    public string? Password { get; set; }

    public User Subject { get; private set; } = null!;

    public long ActiveTokens { get; private set; }

    public string? PasswordError { get; private set; }

    /// <summary>Whether this is the administrator looking at themselves: blocking yourself is refused, so it is not offered.</summary>
    public bool IsYou => Subject.Id == Actor.UserId;

    public async Task<IActionResult> OnGetAsync(long id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostBlockAsync(long id)
    {
        var blocked = await _manager.BlockAsync(Actor, id, HttpContext.RequestAborted);
        return After(id, blocked.Succeeded ? null : blocked.Error, $"The user {blocked.Value?.Username} is blocked: none of their tokens work and they cannot sign in until they are unblocked.");
    }

    public async Task<IActionResult> OnPostUnblockAsync(long id)
    {
        var unblocked = await _manager.UnblockAsync(Actor, id, HttpContext.RequestAborted);
        return After(id, unblocked.Succeeded ? null : unblocked.Error, $"The user {unblocked.Value?.Username} is unblocked: their personal access tokens work again.");
    }

    public async Task<IActionResult> OnPostRevokeTokensAsync(long id)
    {
        var revoked = await _manager.RevokeTokensAsync(Actor, id, HttpContext.RequestAborted);
        return After(id, revoked.Succeeded ? null : revoked.Error, $"{revoked.Value} personal access {(revoked.Value == 1 ? "token was" : "tokens were")} revoked.");
    }

    public async Task<IActionResult> OnPostResetTwoFactorAsync(long id)
    {
        var reset = await _twoFactor.ResetAsync(Actor, id, HttpContext.RequestAborted);
        return After(id, reset.Succeeded ? null : reset.Error, $"Two-factor authentication of {reset.Value?.Username} is off: they sign in with their password alone and can enrol again.");
    }

    public async Task<IActionResult> OnPostResetPasswordAsync(long id)
    {
        var reset = await _manager.ResetPasswordAsync(Actor, id, Password, HttpContext.RequestAborted);
        if (reset.Succeeded)
        {
            NoticeNext($"The password was changed and {reset.Value} {(reset.Value == 1 ? "session was" : "sessions were")} ended. Give the new password to its owner in person.");
            return RedirectToPage(new { id });
        }

        if (reset.Error.Code == TokenErrorCode.NotFound)
        {
            return NotFound();
        }

        // The password stays out of the page: it is typed again.
        Password = null;
        PasswordError = reset.Error.Message;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return await LoadAsync(id) ? Page() : NotFound();
    }

    private IActionResult After(long id, TokenError? error, string notice)
    {
        if (error is null)
        {
            NoticeNext(notice);
        }
        else if (error.Code == TokenErrorCode.NotFound)
        {
            return NotFound();
        }
        else
        {
            ProblemNext(error.Reason switch
            {
                TokenErrorReason.OwnAccount => "You cannot do this to your own account; ask another administrator.",
                TokenErrorReason.LastAdministrator => "This would leave no active administrator; make another user an administrator first.",
                _ => error.Message,
            });
        }

        return RedirectToPage(new { id });
    }

    private async Task<bool> LoadAsync(long id)
    {
        var user = await _manager.GetAsync(Actor, id, HttpContext.RequestAborted);
        if (!user.Succeeded)
        {
            return false;
        }

        Subject = user.Value;
        ActiveTokens = (await _tokens.ListAsync(Actor, new TokenQuery { UserId = id, Active = true, PerPage = 1 }, HttpContext.RequestAborted)).Total;
        return true;
    }
}
