namespace Latchkey.Tokens;

/// <summary>Well-known values of <see cref="PersonalAccessToken.Origin"/>.</summary>
public static class TokenOrigins
{
    public const string Native = "native";
    public const string Session = "session";
}
