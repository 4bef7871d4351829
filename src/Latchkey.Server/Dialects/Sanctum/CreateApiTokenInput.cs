using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>
/// The create request as Talkover validates it — <c>name: required|string|max:255</c>,
/// <c>abilities: nullable|array|min:1</c>, <c>abilities.*: string</c> plus "one of the scopes you may grant" —
/// with every failure reported at once in Laravel's words. This type reads the shape; what is allowed is the
/// engine's answer (<see cref="TokenManager.ValidateCreateAsync"/>), which <see cref="Errors"/> words as Laravel would.
/// </summary>
internal sealed class CreateApiTokenInput
{
    private const string NameField = "name";
    private const string AbilitiesField = "abilities";

    private readonly string? _nameError;
    private readonly string? _abilitiesError;

    // Each ability as sent, null where it is not a string; null altogether when abilities were omitted.
    private readonly string?[]? _items;

    private CreateApiTokenInput(string? name, string? nameError, string?[]? items, string? abilitiesError)
    {
        Name = name;
        _nameError = nameError;
        _items = items;
        _abilitiesError = abilitiesError;
    }

    public string? Name { get; }

    /// <summary>The abilities that are strings, for the engine to judge; <c>null</c> (the policy's default, full access) when omitted.</summary>
    public IReadOnlyList<string>? Abilities => _items?.OfType<string>().ToArray();

    public static CreateApiTokenInput Read(JsonObject input)
    {
        var (name, nameError) = ReadName(LaravelInput.Normalize(input[NameField]));
        var node = LaravelInput.Normalize(input[AbilitiesField]);
        return node switch
        {
            // Omitted (or null): the policy's default, full access.
            null => new(name, nameError, null, null),
            JsonArray { Count: 0 } =>
                // Sanctum would issue a token that can do nothing; the engine reads "no scopes" as "the default", so an
                // empty list is refused rather than silently turned into full access.
                new(name, nameError, null, LaravelMessages.MinItems(AbilitiesField, 1)),
            JsonArray array => new(name, nameError, array.Select(ReadAbility).ToArray(), null),
            _ => new(name, nameError, null, LaravelMessages.Array(AbilitiesField)),
        };
    }

    /// <summary>
    /// Every failure in the order Laravel's validator finds them: the name's, then each ability's by index — its
    /// shape, or the engine's refusal of it (unknown, not allowed, admin-only or broader than the caller: Laravel's
    /// "in" rule). Refusals that are no field's (a cap, a name taken) are left to the create itself.
    /// </summary>
    public LaravelValidationErrors Errors(IReadOnlyList<TokenError> refusals)
    {
        var errors = new LaravelValidationErrors();
        var nameRefusal = refusals.FirstOrDefault(r => r.Field == NameField);
        if ((_nameError ?? NameMessage(nameRefusal)) is { } nameMessage)
        {
            errors.Add(NameField, nameMessage);
        }

        if (_abilitiesError is not null)
        {
            errors.Add(AbilitiesField, _abilitiesError);
        }

        for (var i = 0; i < (_items?.Length ?? 0); i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{AbilitiesField}.{i}");
            var ability = _items![i];
            if (ability is null)
            {
                errors.Add(key, LaravelMessages.String(key));
            }
            else if (refusals.Any(r => r.Scope is not null && r.Scope == ability))
            {
                errors.Add(key, LaravelMessages.SelectedInvalid(key));
            }
        }

        return errors;
    }

    private static (string? Name, string? Error) ReadName(JsonNode? node)
    {
        if (IsEmpty(node))
        {
            return (null, LaravelMessages.Required(NameField));
        }

        return node is JsonValue value && value.TryGetValue<string>(out var name)
            ? (name, null)
            : (null, LaravelMessages.String(NameField));
    }

    private static string? ReadAbility(JsonNode? item)
        => LaravelInput.Normalize(item) is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    // The engine refuses a name that is too long or holds control characters; say which in Laravel's terms.
    private static string? NameMessage(TokenError? refusal) => refusal switch
    {
        null => null,
        { Reason: TokenErrorReason.NameTooLong } => LaravelMessages.MaxCharacters(NameField, refusal.Limit ?? 0),
        _ => LaravelMessages.FormatInvalid(NameField),
    };

    // Laravel's "required": null, an empty string (after trimming) or an empty array or object.
    private static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject obj => obj.Count == 0,
        _ => false,
    };
}
