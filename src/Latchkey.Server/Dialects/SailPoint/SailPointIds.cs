using System.Globalization;

namespace Latchkey.Server.Dialects.SailPoint;

/// <summary>Identity ids on the wire: the engine's user id as a decimal string.</summary>
internal static class SailPointIds
{
    public const string Me = "me";

    public static string Identity(long userId) => userId.ToString(CultureInfo.InvariantCulture);

    public static bool TryParseIdentity(string? text, out long userId)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out userId) && userId > 0;
}
