namespace Latchkey.Server.Api;

/// <summary>PUT /api/user/password.</summary>
internal sealed class ChangePasswordBody
{
    public string? CurrentPassword { get; set; }

    public string? NewPassword { get; set; }

    public override string ToString() => nameof(ChangePasswordBody);
}
