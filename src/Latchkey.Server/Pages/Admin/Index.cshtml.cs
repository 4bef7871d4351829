using System.Globalization;
using Latchkey.Stores;
using Latchkey.Users;
using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Server.Pages.Admin;

/// <summary><c>/admin</c>: every user, a page at a time, and a new one. What can be done to a user is on their own page.</summary>
internal sealed class IndexModel : AdminPageModel
{
    public const int PerPage = 50;

    private readonly IUserStore _users;
    private readonly UserManager _manager;

    public IndexModel(IUserStore users, UserManager manager)
    {
        _users = users;
        _manager = manager;
    }

    [BindProperty(Name = "page", SupportsGet = true)]
    public string? PageText { get; set; }

    [BindProperty(Name = "username")]
    public string? Username { get; set; }

    [BindProperty(Name = "name")]
    public string? FullName { get; set; }

    [BindProperty(Name = "email")]
    public string? Email { get; set; }

    [BindProperty(Name = "password")]
    public string? Password { get; set; }

    [BindProperty(Name = "admin")]
    public bool IsAdmin { get; set; }

    public Page<User> Users { get; private set; } = new([], 0, 1, PerPage);

    /// <summary>Refusals of the new-user form by field (<c>username</c>, <c>password</c>, <c>email</c>, <c>name</c>, or <c>form</c>).</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostCreateAsync()
    {
        var request = new CreateUserRequest { Username = Username?.Trim(), Password = Password, Email = Blank(Email), Name = Blank(FullName), IsAdmin = IsAdmin };
        var created = await _manager.CreateAsync(Actor, request, HttpContext.RequestAborted);
        if (created.Succeeded)
        {
            NoticeNext($"The user {created.Value.Username} was created{(created.Value.IsAdmin ? " as an administrator" : string.Empty)}. They can sign in with the password you gave.");
            return RedirectToPage("/Admin/User", new { id = created.Value.Id });
        }

        var field = created.Error.Field is "username" or "password" or "email" or "name" ? created.Error.Field : "form";
        Errors[field] = created.Error.Code == TokenErrorCode.NameTaken ? "This username is already taken." : created.Error.Message;
        Password = null;
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        await LoadAsync();
        return Page();
    }

    public bool HasError(string field) => Errors.ContainsKey(field);

    // Built by hand, not by routing: "page" is Razor Pages' own route value, the name of the page.
    public string PageLink(int number) => Request.Path + QueryString.Create("page", number.ToString(CultureInfo.InvariantCulture));

    private async Task LoadAsync()
    {
        var number = int.TryParse(PageText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1 ? parsed : 1;
        Users = await _users.ListAsync(number, PerPage, HttpContext.RequestAborted);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
