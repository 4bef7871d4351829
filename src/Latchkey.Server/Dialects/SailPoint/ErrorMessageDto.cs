namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>One localized text of an <see cref="ErrorResponseDto"/>.</summary>
internal sealed record ErrorMessageDto(string Locale, string LocaleOrigin, string Text)
{
    public static ErrorMessageDto English(string text) => new("en-US", "DEFAULT", text);
}
