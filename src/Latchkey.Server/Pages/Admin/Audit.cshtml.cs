using System.Globalization;
using Latchkey.Auditing;
using Latchkey.Server.Api;
using Latchkey.Stores;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Server.Pages.Admin;

/// <summary>
/// <c>/admin/audit</c>: the audit log, newest first, filtered by action, user and token (read by the same code as
/// <c>GET /api/audit</c>), with the names of the people and tokens it mentions, not only their ids.
/// </summary>
internal sealed class AuditModel : AdminPageModel
{
    public const int PerPage = 50;

    private readonly IAuditStore _audit;

    public AuditModel(IAuditStore audit, TimeProvider time)
    {
        _audit = audit;
        Now = time.GetUtcNow();
    }

    public DateTimeOffset Now { get; }

    public string? Action => Text("action");

    public string? Username => Text("username");

    public string? TokenId => Text("token_id");

    public Page<AuditEvent> Events { get; private set; } = new([], 0, 1, PerPage);

    public (string Field, string Message)? FilterError { get; private set; }

    public async Task OnGetAsync()
    {
        if (!AuditEndpoints.TryReadQuery(Request, out var query, out var error))
        {
            FilterError = error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        query = query with { PerPage = Request.Query.ContainsKey("per_page") ? query.PerPage : PerPage };
        Events = await _audit.QueryAsync(query, HttpContext.RequestAborted);
    }

    // Built by hand, not by routing: "page" is Razor Pages' own route value, the name of the page.
    public string PageLink(int number)
        => Request.Path + QueryString.Create(new Dictionary<string, string?>
        {
            ["action"] = Action,
            ["username"] = Username,
            ["token_id"] = TokenId,
            ["page"] = number.ToString(CultureInfo.InvariantCulture),
        }.Where(pair => pair.Value is not null));

    private string? Text(string name) => Request.Query.TryGetValue(name, out var value) && value.ToString().Length > 0 ? value.ToString() : null;
}
