using System.Text.RegularExpressions;

namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>One configured rule, compiled: its host, path and methods tests, and what it requires.</summary>
internal sealed class ForwardAuthRuleMatcher
{
    private readonly string? _host;
    private readonly string? _hostSuffix;
    private readonly string? _pathPrefix;
    private readonly Regex? _pathPattern;
    private readonly string[] _methods;

    public ForwardAuthRuleMatcher(ForwardAuthRule rule, ForwardAuthRequirement requirement)
    {
        if (rule.Host is { Length: > 0 } host)
        {
            // "*.example.com" matches any name ending in ".example.com", not example.com itself.
            if (host.StartsWith("*.", StringComparison.Ordinal))
            {
                _hostSuffix = host[1..];
            }
            else
            {
                _host = host;
            }
        }

        _pathPrefix = string.IsNullOrEmpty(rule.PathPrefix) ? null : rule.PathPrefix;
        _pathPattern = string.IsNullOrEmpty(rule.PathPattern) ? null : Compile(rule.PathPattern);
        _methods = [.. rule.Methods.Select(m => m.Trim())];
        Requirement = requirement;
    }

    public ForwardAuthRequirement Requirement { get; }

    public bool Matches(ReadOnlySpan<char> method, ReadOnlySpan<char> host, string path)
    {
        if (_host is not null && !host.Equals(_host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (_hostSuffix is not null && !(host.Length > _hostSuffix.Length && host.EndsWith(_hostSuffix, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (_pathPrefix is not null && !path.StartsWith(_pathPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (_pathPattern is not null && !_pathPattern.IsMatch(path))
        {
            return false;
        }

        if (_methods.Length == 0)
        {
            return true;
        }

        foreach (var allowed in _methods)
        {
            if (method.Equals(allowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Linear time on any input (no catastrophic backtracking on a path an attacker chose), culture-invariant;
    /// throws <see cref="ArgumentException"/> or <see cref="NotSupportedException"/> for a pattern it cannot run.
    /// </summary>
    public static Regex Compile(string pattern)
        => new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
}
