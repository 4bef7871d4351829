namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>Laravel's 422 body for a failed validation: a summary and every message keyed by field.</summary>
internal sealed record LaravelValidationProblem(string Message, IReadOnlyDictionary<string, string[]> Errors);
