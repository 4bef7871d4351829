using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>The OAuth endpoints' JSON, written with its own settings so the host's JSON options cannot rename a member.</summary>
internal static class OAuthResults
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static JsonHttpResult<T> Ok<T>(T value) => TypedResults.Json(value, Json);

    public static JsonHttpResult<OAuthError> Error(int status, string error, string description)
        => TypedResults.Json(new OAuthError(error, description), Json, statusCode: status);

    public static JsonHttpResult<OAuthError> InvalidRequest(OAuthFormError error)
        => Error(error.StatusCode, "invalid_request", error.Description);
}
