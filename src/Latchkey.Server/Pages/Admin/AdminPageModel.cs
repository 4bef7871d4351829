using Latchkey.AspNetCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Latchkey.Server.Pages.Admin;

/// <summary>
/// What every page under <c>/admin</c> shares: administrators only — anyone else who is signed in gets the same 404
/// as a page that does not exist, so the pages cannot be found by trying — and the notices that cross a redirect.
/// </summary>
internal abstract class AdminPageModel : PageModel
{
    private const string NoticeKey = "admin_notice";
    private const string ProblemKey = "admin_problem";

    public string? Notice { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>The administrator, reaching everyone's tokens and users.</summary>
    protected TokenActor Actor => HttpContext.GetTokenActor();

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (HttpContext.GetLatchkeyToken() is not { IsAdmin: true })
        {
            context.Result = NotFound();
            return;
        }

        Notice = TempData[NoticeKey] as string;
        Problem = TempData[ProblemKey] as string;
        await next();
    }

    /// <summary>Says <paramref name="notice"/> on the page the redirect leads to.</summary>
    protected void NoticeNext(string notice) => TempData[NoticeKey] = notice;

    /// <summary>Says <paramref name="problem"/> on the page the redirect leads to.</summary>
    protected void ProblemNext(string problem) => TempData[ProblemKey] = problem;
}
