using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Server.Pages;

/// <summary><c>/</c>: a signed-in visitor goes to their tokens, anyone else to sign in.</summary>
public sealed class IndexModel : PageModel
{
    public async Task<IActionResult> OnGetAsync()
        => (await HttpContext.AuthenticateAsync(UiDefaults.Scheme)).Succeeded ? Redirect(UiDefaults.HomePath) : Redirect(UiDefaults.SignInPath);
}
