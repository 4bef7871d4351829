namespace Latchkey.Server.Dialects.Unleash;

/// <summary>What Express's body parser answers for a body it cannot read (see <see cref="UnleashErrors.BodyParser"/>), for the OpenAPI document.</summary>
internal sealed record UnleashBodyParserError(string Message);
