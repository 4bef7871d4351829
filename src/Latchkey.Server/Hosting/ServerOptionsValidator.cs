using Microsoft.Extensions.Options;

namespace Latchkey.Server.Hosting;

/// <summary>Fails start-up with messages naming the key when the server's own settings cannot work.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ReverseProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ReverseProxyOptions options) => ToResult(options.Validate());

    private static ValidateOptionsResult ToResult(IEnumerable<string> errors)
    {
        var list = errors.ToList();
        return list.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(list);
    }
}
