using System.Text.Json;

namespace Latchkey.Server.Api;

/// <summary>PATCH /api/users/{id}: any subset of the fields; <c>is_admin</c> and <c>password</c> are for administrators.</summary>
internal sealed class UpdateUserBody
{
    [System.ComponentModel.Description("A string, or null to clear it. Omitted: unchanged.")]
    public JsonElement Name { get; set; }

    [System.ComponentModel.Description("An address, or null to clear it. Omitted: unchanged.")]
    public JsonElement Email { get; set; }

    [System.ComponentModel.Description("Administrators only, with a session or an admin_mode token; never for yourself.")]
    public bool? IsAdmin { get; set; }

    [System.ComponentModel.Description("A new password (administrators only, with a session or an admin_mode token); ends all of the user's sessions.")]
    public string? Password { get; set; }

    public override string ToString() => $"UpdateUserBody {{ IsAdmin = {IsAdmin} }}";
}
