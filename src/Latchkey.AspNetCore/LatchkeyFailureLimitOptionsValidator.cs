using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary>Fails start-up with a clear message when the failed-authentication limit makes no sense.</summary>
internal sealed class LatchkeyFailureLimitOptionsValidator : IValidateOptions<LatchkeyFailureLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, LatchkeyFailureLimitOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
