namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>Talkover wraps every resource in <c>{"data": …}</c>, as a Laravel API resource does.</summary>
internal sealed record SanctumData<T>(T Data);
