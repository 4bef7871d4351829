using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Latchkey.Server.Http;

/// <summary>
/// Checks that every string in a JSON document is Unicode text. System.Text.Json reads a string's raw bytes without
/// validating them, so invalid UTF-8 (<c>"\xff"</c>) and a lone surrogate escape (<c>"\ud800"</c>) parse into a
/// <see cref="JsonElement"/> that throws only later, when something asks for the string — deep inside a handler,
/// as a 500. Checking every string (values and property names) once, where the body is read, means no reader
/// after it can meet one.
/// </summary>
internal static class JsonText
{
    /// <summary>
    /// Whether every string is valid. When one is not, <paramref name="field"/> is the top-level property it sits
    /// under, or <c>null</c> when it is a top-level property name or not under any property. A document that is not
    /// well-formed JSON counts as valid here: the parser that reads it next reports that in its own words.
    /// </summary>
    public static bool IsValidText(ReadOnlySpan<byte> json, out string? field)
    {
        field = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 1000 });
        string? topLevelProperty = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                var isTopLevelName = reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1;
                if (!IsValidString(ref reader))
                {
                    field = isTopLevelName ? null : topLevelProperty;
                    return false;
                }

                if (isTopLevelName)
                {
                    topLevelProperty = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Malformed: not this check's business.
        }

        return true;
    }

    private static bool IsValidString(ref Utf8JsonReader reader)
    {
        if (!Utf8.IsValid(reader.ValueSpan))
        {
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            return true;
        }

        // Unescaping is where a lone \uD800 or \uDC00 shows; the escaped form is never shorter than the text.
        var chars = ArrayPool<char>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            reader.CopyString(chars);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
