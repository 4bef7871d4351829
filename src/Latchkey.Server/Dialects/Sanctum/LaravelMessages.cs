using System.Globalization;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>
/// The English texts Laravel 10/11 answers with (lang/en/validation.php and the framework's exceptions), so
/// clients that show or match them see what they would from Laravel.
/// </summary>
internal static class LaravelMessages
{
    public const string Unauthenticated = "Unauthenticated.";
    public const string InvalidAbility = "Invalid ability provided.";
    public const string Unauthorized = "This action is unauthorized.";
    public const string TokenRevoked = "Token revoked";
    public const string TokenNotFound = "Token not found.";
    public const string PostTooLarge = "The POST data is too large.";
    public const string TooManyAttempts = "Too Many Attempts.";

    /// <summary>An HttpException for 400 without a message of its own renders the status text.</summary>
    public const string BadRequest = "Bad Request";

    public const string ServiceUnavailable = "Service Unavailable";

    public static string Required(string attribute) => $"The {attribute} field is required.";

    public static string String(string attribute) => $"The {attribute} field must be a string.";

    public static string Array(string attribute) => $"The {attribute} field must be an array.";

    public static string MaxCharacters(string attribute, int max) => string.Create(CultureInfo.InvariantCulture, $"The {attribute} field must not be greater than {max} characters.");

    public static string MinItems(string attribute, int min) => string.Create(CultureInfo.InvariantCulture, $"The {attribute} field must have at least {min} items.");

    public static string FormatInvalid(string attribute) => $"The {attribute} field format is invalid.";

    public static string SelectedInvalid(string attribute) => $"The selected {attribute} is invalid.";

    public static string Taken(string attribute) => $"The {attribute} has already been taken.";

    /// <summary>ValidationException::summarize: the first message, then "(and N more error[s])".</summary>
    public static string Summarize(IReadOnlyCollection<string> messages)
    {
        var first = messages.First();
        var more = messages.Count - 1;
        return more switch
        {
            0 => first,
            1 => $"{first} (and 1 more error)",
            _ => string.Create(CultureInfo.InvariantCulture, $"{first} (and {more} more errors)"),
        };
    }
}
