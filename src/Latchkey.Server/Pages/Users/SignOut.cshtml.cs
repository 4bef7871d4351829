using Latchkey.AspNetCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Server.Pages.Users;

/// <summary>
/// <c>POST /users/sign_out</c>: revokes the session (its cookie is refused from the next request on, on every node)
/// and deletes the cookie. Only a POST with the antiforgery token: a link elsewhere cannot sign anyone out.
/// </summary>
[Authorize(Policy = UiDefaults.Policy)]
internal sealed class SignOutModel : PageModel
{
    private readonly TokenManager _tokens;

    public SignOutModel(TokenManager tokens) => _tokens = tokens;

    public IActionResult OnGet() => Redirect(UiDefaults.HomePath);

    public async Task<IActionResult> OnPostAsync()
    {
        var session = HttpContext.GetLatchkeyToken()!;
        await _tokens.RevokeAsync(UiSession.Actor(HttpContext), session.TokenId, HttpContext.RequestAborted);
        UiSession.End(HttpContext);
        return Redirect(UiDefaults.SignInPath);
    }
}
