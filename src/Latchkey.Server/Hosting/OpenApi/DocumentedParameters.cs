using Latchkey.Server.Http;
using Microsoft.OpenApi;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>The hand-read query parameters the APIs share, described once (see <see cref="DocumentedParameter"/>).</summary>
internal static class DocumentedParameters
{
    private const string Instant = "A date (YYYY-MM-DD) or an ISO 8601 date-time (UTC unless it has an offset).";

    public static readonly DocumentedParameter[] Paging =
    [
        new("page", JsonSchemaType.Integer, "Page number, from 1."),
        new("per_page", JsonSchemaType.Integer, $"Items per page (default {Pagination.DefaultPerPage}, at most {Pagination.MaxPerPage}; larger values are lowered)."),
    ];

    /// <summary>What <see cref="TokenQueryReader"/> reads, after <see cref="Paging"/>.</summary>
    public static readonly DocumentedParameter[] TokenFilters =
    [
        .. Paging,
        new("state", JsonSchemaType.String, "Only active or only inactive (expired or revoked) tokens.") { Values = ["active", "inactive"] },
        new("revoked", JsonSchemaType.Boolean, "Only revoked (true) or only unrevoked (false) tokens."),
        new("search", JsonSchemaType.String, "Tokens whose name contains this text (at most 255 characters)."),
        new("sort", JsonSchemaType.String, "Order of the list.") { Values = TokenQueryReader.SortValues.Split(", ") },
        new("created_before", JsonSchemaType.String, Instant),
        new("created_after", JsonSchemaType.String, Instant),
        new("last_used_before", JsonSchemaType.String, Instant),
        new("last_used_after", JsonSchemaType.String, Instant),
        new("expires_before", JsonSchemaType.String, Instant),
        new("expires_after", JsonSchemaType.String, Instant),
    ];

    /// <summary>GET /api/tokens: the filters, and whose tokens.</summary>
    public static readonly DocumentedParameter[] NativeTokenList =
    [
        .. TokenFilters,
        new("user_id", JsonSchemaType.Integer, "Administrators: list this user's tokens (default: your own)."),
        new("all", JsonSchemaType.Boolean, "Administrators: list every user's tokens."),
    ];

    /// <summary>GET /api/administration/tokens: the filters (two more states), whose tokens, and what expires soon.</summary>
    public static readonly DocumentedParameter[] AdminTokenList =
    [
        .. TokenFilters.Where(p => p.Name != "state"),
        new("state", JsonSchemaType.String, "Only active, inactive, revoked, or expired (and not revoked) tokens.") { Values = ["active", "inactive", "revoked", "expired"] },
        new("user_id", JsonSchemaType.Integer, "Only this user's tokens (default: everyone's)."),
        new("username", JsonSchemaType.String, "Only the tokens of the user with this username (any case)."),
        new("expires_within_days", JsonSchemaType.Integer, $"Only active tokens that expire within this many days (1 to {Api.AdminEndpoints.MaxExpiresWithinDays})."),
    ];

    /// <summary>GET /api/audit: paging and the filters.</summary>
    public static readonly DocumentedParameter[] AuditList =
    [
        .. Paging,
        new("action", JsonSchemaType.String, "Only entries of this action, e.g. token.revoked."),
        new("user_id", JsonSchemaType.Integer, "Only entries where this user acted or was acted on."),
        new("username", JsonSchemaType.String, "Only entries where the user with this username (any case) acted or was acted on."),
        new("token_id", JsonSchemaType.Integer, "Only entries about this token."),
    ];

    /// <summary>GET /api/v4/personal_access_tokens: GitLab's filters (an unknown sort is ignored), and whose tokens.</summary>
    public static readonly DocumentedParameter[] GitLabTokenList =
    [
        .. TokenFilters,
        new("user_id", JsonSchemaType.Integer, "Administrators: only this user's tokens (default: everyone's); others may name only themselves."),
    ];

    /// <summary>GET /{version}/personal-access-tokens.</summary>
    public static readonly DocumentedParameter[] SailPointTokenList =
    [
        new("owner-id", JsonSchemaType.String, "'me', or an identity id; omitted: everyone's (administrators with sp:my-personal-access-tokens:manage-all only)."),
        new("filters", JsonSchemaType.String, "SailPoint filter expression, e.g. lastUsed le \"2024-01-01T00:00:00Z\"."),
    ];

    /// <summary>POST /oauth/token also reads its fields from the query string, as SailPoint documents.</summary>
    public static readonly DocumentedParameter[] OAuthToken =
    [
        new("grant_type", JsonSchemaType.String, "client_credentials (when not in the form)."),
        new("client_id", JsonSchemaType.String, "The personal access token's id (when not in the form or HTTP Basic)."),
        new("client_secret", JsonSchemaType.String, "The personal access token's secret (when not in the form or HTTP Basic)."),
    ];

    public static readonly DocumentedParameter TokenId = new("id", JsonSchemaType.Integer, "The token's id.", ParameterLocation.Path);

    public static readonly DocumentedParameter UserId = new("user_id", JsonSchemaType.Integer, "The user's id.", ParameterLocation.Path);

    public static readonly DocumentedParameter NativeUserId = new("id", JsonSchemaType.Integer, "The user's id.", ParameterLocation.Path);

    public static readonly DocumentedParameter SailPointTokenId = new("id", JsonSchemaType.String, "The token's id as SailPoint shows it (its public id).", ParameterLocation.Path);

    public static readonly DocumentedParameter NumericTokenId = new("id", JsonSchemaType.String, "The token's id (a whole number; anything else answers as an unknown id would).", ParameterLocation.Path);
}
