using System.Text.Json;
using Latchkey.Policy;
using Latchkey.Users;
using Microsoft.Extensions.Options;

namespace Latchkey.Hosting;

/// <summary>Fails start-up with a clear message when engine settings, a token policy or the hashing keys make no sense.</summary>
internal sealed class LatchkeyOptionsValidator : IValidateOptions<LatchkeyOptions>, IValidateOptions<TokenPolicyOptions>, IValidateOptions<LatchkeyHashingOptions>,
    IValidateOptions<PasswordHashingOptions>, IValidateOptions<TwoFactorOptions>
{
    private readonly ScopeCatalog _catalog;

    public LatchkeyOptionsValidator(ScopeCatalog catalog) => _catalog = catalog;

    public ValidateOptionsResult Validate(string? name, LatchkeyOptions options) => ToResult(options.Validate());

    public ValidateOptionsResult Validate(string? name, PasswordHashingOptions options) => ToResult(options.Validate());

    public ValidateOptionsResult Validate(string? name, TwoFactorOptions options) => ToResult(options.Validate());

    public ValidateOptionsResult Validate(string? name, TokenPolicyOptions options)
        => ToResult(options.Validate(_catalog).Select(error => string.IsNullOrEmpty(name) ? error : $"[{name} policy] {error}"));

    /// <summary>
    /// Checks the keys as the key ring will read them (without creating a key file), so a missing or broken key
    /// stops the host at start-up instead of failing every request that needs a hash.
    /// </summary>
    public ValidateOptionsResult Validate(string? name, LatchkeyHashingOptions options)
    {
        try
        {
            TokenKeyRingFactory.Check(options);
            return ValidateOptionsResult.Success;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or JsonException or IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"{LatchkeyHashingOptions.SectionName}: {exception.Message}");
        }
    }

    internal static ValidateOptionsResult ToResult(IEnumerable<string> errors)
    {
        var list = errors.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}
