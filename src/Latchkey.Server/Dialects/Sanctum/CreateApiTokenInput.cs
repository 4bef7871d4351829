using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Policy;

namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>
/// The create request as Talkover validates it — <c>name: required|string|max:255</c>,
/// <c>abilities: nullable|array|min:1</c>, <c>abilities.*: string</c> plus "one of the scopes you may grant" —
/// with every failure reported at once in Laravel's words. What is allowed is asked of the engine's policy; this
/// type only knows which Laravel message stands for each refusal.
/// </summary>
internal sealed record CreateApiTokenInput(string? Name, IReadOnlyList<string>? Abilities, LaravelValidationErrors Errors)
{
    private const string NameField = "name";
    private const string AbilitiesField = "abilities";

    public static CreateApiTokenInput Read(JsonObject input, TokenPolicy policy, TokenActor actor)
    {
        var errors = new LaravelValidationErrors();
        var name = ReadName(input, policy, errors);
        var abilities = ReadAbilities(input, policy, actor, errors);
        return new CreateApiTokenInput(name, abilities, errors);
    }

    private static string? ReadName(JsonObject input, TokenPolicy policy, LaravelValidationErrors errors)
    {
        var node = LaravelInput.Normalize(input[NameField]);
        if (IsEmpty(node))
        {
            errors.Add(NameField, LaravelMessages.Required(NameField));
            return null;
        }

        if (node is not JsonValue value || !value.TryGetValue<string>(out var name))
        {
            errors.Add(NameField, LaravelMessages.String(NameField));
            return null;
        }

        if (policy.CheckName(name) is { } refused)
        {
            // The engine refuses a name that is too long or holds control characters; say which in Laravel's terms.
            errors.Add(NameField, refused.Reason == TokenErrorReason.NameTooLong
                ? LaravelMessages.MaxCharacters(NameField, refused.Limit ?? policy.Options.MaxNameLength)
                : LaravelMessages.FormatInvalid(NameField));
            return null;
        }

        return name;
    }

    private static List<string>? ReadAbilities(JsonObject input, TokenPolicy policy, TokenActor actor, LaravelValidationErrors errors)
    {
        var node = LaravelInput.Normalize(input[AbilitiesField]);
        if (node is null)
        {
            // Omitted (or null): the policy's default, full access.
            return null;
        }

        if (node is not JsonArray array)
        {
            errors.Add(AbilitiesField, LaravelMessages.Array(AbilitiesField));
            return null;
        }

        if (array.Count == 0)
        {
            // Sanctum would issue a token that can do nothing; the engine reads "no scopes" as "the default", so an
            // empty list is refused rather than silently turned into full access.
            errors.Add(AbilitiesField, LaravelMessages.MinItems(AbilitiesField, 1));
            return null;
        }

        var abilities = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{AbilitiesField}.{i}");
            if (LaravelInput.Normalize(array[i]) is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                errors.Add(key, LaravelMessages.String(key));
                continue;
            }

            // Unknown to the catalog, not allowed by the policy, admin-only, or broader than the caller: the
            // engine's answer, given per ability as Laravel's "in" rule would.
            var ability = value.GetValue<string>();
            if (!policy.ResolveScopes([ability], actor.Granted, actor.IsAdmin).Succeeded)
            {
                errors.Add(key, LaravelMessages.SelectedInvalid(key));
                continue;
            }

            abilities.Add(ability);
        }

        return abilities;
    }

    // Laravel's "required": null, an empty string (after trimming) or an empty array or object.
    private static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject obj => obj.Count == 0,
        _ => false,
    };
}
