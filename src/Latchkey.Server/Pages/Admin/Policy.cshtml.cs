using Latchkey.Policy;
using Latchkey.Server.Api;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Pages.Admin;

/// <summary>
/// <c>/admin/policy</c>: the token policies in effect, read-only — the native one and each dialect's, with the
/// operator's settings applied — as <c>GET /api/administration/policy</c> describes them.
/// </summary>
internal sealed class PolicyModel : AdminPageModel
{
    public PolicyModel(TokenPolicyProvider policies, IOptions<LatchkeyOptions> options)
    {
        Effective = AdminEndpoints.Describe(policies, options.Value);
    }

    public EffectivePolicyResponse Effective { get; }

    /// <summary>What each policy's name stands for.</summary>
    public static string Describe(string name) => name switch
    {
        "native" => "The native API and this web UI",
        "gitlab" => "GitLab API, tokens administrators create for users",
        "gitlab-self" => "GitLab API, tokens users create for themselves",
        "unleash" => "Unleash API",
        "sailpoint" => "SailPoint API",
        "sanctum" => "Talkover (Laravel Sanctum) API",
        _ => "Added by the host application",
    };

    public static string Lifetime(TimeSpan? span) => span is { } value ? Wording.Duration(value) : "No limit";

    public static string Scopes(IReadOnlyList<string> scopes, string none) => scopes.Count == 0 ? none : string.Join(", ", scopes);

    public static string YesNo(bool value) => value ? "Yes" : "No";
}
