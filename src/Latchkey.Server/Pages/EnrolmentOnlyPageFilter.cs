using Latchkey.AspNetCore;
using Latchkey.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Latchkey.Server.Pages;

/// <summary>
/// Under a policy that requires two-factor authentication, a user past their grace period holds a session that can
/// only enrol: every signed-in page but the two-factor one (and signing out) sends them there.
/// </summary>
internal sealed class EnrolmentOnlyPageFilter : IAsyncPageFilter
{
    public const string TwoFactorPage = "/UserSettings/TwoFactorAuthentication";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var identity = context.HttpContext.User.Identity as LatchkeyIdentity;
        if (identity is { AuthenticationType: UiDefaults.Scheme, Token.Scopes: [TwoFactorManager.EnrolmentScope] }
            && context.ActionDescriptor.ViewEnginePath is not (TwoFactorPage or "/Users/SignOut"))
        {
            context.Result = new RedirectToPageResult(TwoFactorPage);
            return Task.CompletedTask;
        }

        return next();
    }
}
