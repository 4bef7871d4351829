namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>The body Laravel renders for an HTTP exception in a JSON request: <c>{"message":…}</c>.</summary>
internal sealed record LaravelMessage(string Message);
