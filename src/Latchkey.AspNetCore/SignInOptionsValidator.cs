using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore;

/// <summary>Fails start-up, naming the key, on sign-in limits that cannot work.</summary>
internal sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
