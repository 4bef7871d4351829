using System.Text.Json;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>
/// The create request as sent. Members stay raw JSON so that "absent", <c>null</c> and "wrong type" can be told
/// apart: SailPoint's expiry rules depend on the difference.
/// </summary>
internal sealed class CreatePersonalAccessTokenBody
{
    public JsonElement Name { get; set; }

    public JsonElement Scope { get; set; }

    public JsonElement AccessTokenValiditySeconds { get; set; }

    public JsonElement ExpirationDate { get; set; }

    public JsonElement UserAwareTokenNeverExpires { get; set; }
}
