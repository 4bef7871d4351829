using System.Text.Json.Serialization;

namespace Latchkey.Server.Api;

internal sealed record SessionResponse(string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>Under a policy that requires two-factor authentication, for a user without it: enrol before this.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? TwoFactorDueBy { get; init; }

    /// <summary>Past that date: this session can only enrol (<c>/api/user/two_factor</c>) and sign out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? TwoFactorEnrolmentOnly { get; init; }

    public override string ToString() => $"SessionResponse {{ ExpiresAt = {ExpiresAt} }}";
}
