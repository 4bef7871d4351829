namespace Latchkey.Server.Dialects.Sanctum;

/// <summary>Collects validation messages in the order Laravel's validator finds them (rule order, then index order).</summary>
internal sealed class LaravelValidationErrors
{
    private readonly List<KeyValuePair<string, string>> _messages = [];

    public bool Any => _messages.Count > 0;

    public void Add(string key, string message) => _messages.Add(new(key, message));

    public LaravelValidationProblem ToProblem()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var group in _messages.GroupBy(m => m.Key, StringComparer.Ordinal))
        {
            errors[group.Key] = group.Select(m => m.Value).ToArray();
        }

        return new LaravelValidationProblem(LaravelMessages.Summarize(_messages.ConvertAll(m => m.Value)), errors);
    }
}
