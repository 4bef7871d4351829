using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.OAuth;

/// <summary>Fails start-up with a message naming the key when an OAuth setting makes no sense.</summary>
internal sealed class LatchkeyOAuthOptionsValidator : IValidateOptions<LatchkeyOAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, LatchkeyOAuthOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
