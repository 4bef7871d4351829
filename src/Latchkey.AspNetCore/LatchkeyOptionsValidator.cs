using Latchkey.Policy;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary>Fails start-up with a clear message when engine settings or a token policy make no sense.</summary>
internal sealed class LatchkeyOptionsValidator : IValidateOptions<LatchkeyOptions>, IValidateOptions<TokenPolicyOptions>, IValidateOptions<LatchkeyFailureLimitOptions>
{
    private readonly ScopeCatalog _catalog;

    public LatchkeyOptionsValidator(ScopeCatalog catalog) => _catalog = catalog;

    public ValidateOptionsResult Validate(string? name, LatchkeyOptions options) => ToResult(options.Validate());

    public ValidateOptionsResult Validate(string? name, LatchkeyFailureLimitOptions options) => ToResult(options.Validate());

    public ValidateOptionsResult Validate(string? name, TokenPolicyOptions options)
        => ToResult(options.Validate(_catalog).Select(error => string.IsNullOrEmpty(name) ? error : $"[{name} policy] {error}"));

    private static ValidateOptionsResult ToResult(IEnumerable<string> errors)
    {
        var list = errors.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}
