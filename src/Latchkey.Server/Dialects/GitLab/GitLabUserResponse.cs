using System.Text.Json.Serialization;
using Latchkey.Server.Hosting;
using Latchkey.Users;

namespace Latchkey.Server.Dialects.GitLab;

/// <summary>
/// GitLab's user entity, with what Latchkey knows and GitLab's neutral values for the rest. <c>email</c> only on
/// <c>/user</c> and for administrators, <c>is_admin</c> only for administrators, as GitLab does.
/// </summary>
internal sealed record GitLabUserResponse(
    long Id,
    string Username,
    string Name,
    string State,
    bool Locked,
    string? AvatarUrl,
    string WebUrl,
    DateTimeOffset CreatedAt,
    string Bio,
    string Location,
    string? PublicEmail,
    bool Bot,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? IsAdmin)
{
    public static GitLabUserResponse From(User user, HttpRequest request, bool showEmail, bool showAdmin) => new(
        user.Id,
        user.Username,
        string.IsNullOrEmpty(user.Name) ? user.Username : user.Name,
        user.State,
        Locked: false,
        AvatarUrl: null,
        WebUrl: PublicUrls.For(request, new PathString("/" + user.Username)),
        user.CreatedAt,
        Bio: string.Empty,
        Location: string.Empty,
        PublicEmail: null,
        Bot: false,
        showEmail ? user.Email ?? string.Empty : null,
        showAdmin ? user.IsAdmin : null);

    public override string ToString() => $"GitLabUserResponse {{ Id = {Id}, Username = {Username} }}";
}
