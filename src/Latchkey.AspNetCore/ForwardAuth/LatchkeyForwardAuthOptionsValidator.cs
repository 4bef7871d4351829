using Latchkey.Policy;
using Microsoft.Extensions.Options;

namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>Fails start-up, naming the key, on forward-auth settings that cannot work as written.</summary>
internal sealed class LatchkeyForwardAuthOptionsValidator : IValidateOptions<LatchkeyForwardAuthOptions>
{
    private const string Section = LatchkeyForwardAuthOptions.SectionName;

    private readonly ScopeCatalog _catalog;

    public LatchkeyForwardAuthOptionsValidator(ScopeCatalog catalog) => _catalog = catalog;

    public ValidateOptionsResult Validate(string? name, LatchkeyForwardAuthOptions options)
    {
        var errors = Check(options).ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private IEnumerable<string> Check(LatchkeyForwardAuthOptions options)
    {
        if (string.IsNullOrEmpty(options.Realm) || !options.Realm.All(c => c >= 0x20 && c < 0x7F && c != '"' && c != '\\'))
        {
            yield return $"{Section}:Realm '{options.Realm}' must be non-empty printable ASCII without quotes or backslashes.";
        }

        for (var i = 0; i < options.Rules.Count; i++)
        {
            var rule = options.Rules[i];
            var key = $"{Section}:Rules:{i}";
            if (rule.Host is { } host && !IsHostPattern(host))
            {
                yield return $"{key}:Host '{host}' is not a host name (e.g. app.example.com, or *.example.com for its subdomains).";
            }

            if (!string.IsNullOrEmpty(rule.PathPrefix) && !string.IsNullOrEmpty(rule.PathPattern))
            {
                yield return $"{key} sets both PathPrefix and PathPattern; a rule takes one of the two.";
            }

            if (!string.IsNullOrEmpty(rule.PathPrefix) && !rule.PathPrefix.StartsWith('/'))
            {
                yield return $"{key}:PathPrefix '{rule.PathPrefix}' must start with '/'.";
            }

            if (!string.IsNullOrEmpty(rule.PathPattern) && PatternError(rule.PathPattern) is { } patternError)
            {
                yield return $"{key}:PathPattern '{rule.PathPattern}' {patternError}";
            }

            for (var m = 0; m < rule.Methods.Count; m++)
            {
                if (!IsMethod(rule.Methods[m]))
                {
                    yield return $"{key}:Methods:{m} '{rule.Methods[m]}' is not an HTTP method (e.g. GET, POST).";
                }
            }

            foreach (var error in CheckPolicy(key, rule))
            {
                yield return error;
            }
        }

        foreach (var error in CheckPolicy($"{Section}:Default", options.Default))
        {
            yield return error;
        }
    }

    private IEnumerable<string> CheckPolicy(string key, ForwardAuthPolicy policy)
    {
        for (var s = 0; s < policy.Scopes.Count; s++)
        {
            if (!_catalog.Contains(policy.Scopes[s]))
            {
                yield return $"{key}:Scopes:{s} '{policy.Scopes[s]}' is not a known scope (known: {string.Join(", ", _catalog.All.Select(d => d.Name))}).";
            }
        }

        if (policy.Challenge is { } challenge
            && !string.Equals(challenge, ForwardAuthChallenges.Bearer, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(challenge, ForwardAuthChallenges.Basic, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{key}:Challenge '{challenge}' is not one of Bearer, Basic.";
        }

        if (policy.Anonymous && policy.Scopes.Count > 0)
        {
            yield return $"{key} is Anonymous and also requires Scopes; an anonymous request has no scopes to check.";
        }

        if (policy.Anonymous && policy.Deny)
        {
            yield return $"{key} is both Anonymous and Deny; choose one.";
        }
    }

    private static string? PatternError(string pattern)
    {
        try
        {
            ForwardAuthRuleMatcher.Compile(pattern);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"is not a valid regular expression: {e.Message}";
        }
        catch (NotSupportedException e)
        {
            // RegexOptions.NonBacktracking: no lookarounds, backreferences or atomic groups.
            return $"uses a construct forward-auth does not run (patterns run in linear time): {e.Message}";
        }
    }

    // RFC 9110 token characters.
    internal static bool IsMethod(ReadOnlySpan<char> method)
    {
        if (method.Length is 0 or > 32)
        {
            return false;
        }

        foreach (var c in method)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "!#$%&'*+-.^_`|~".IndexOf(c) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHostPattern(string host)
    {
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        return name.Length is > 0 and <= 253
            && name.Split('.').All(label => label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}
