namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>
/// One entry of <c>Latchkey:ForwardAuth:Rules</c>: which requests it matches (every condition given must hold) and
/// what they need (<see cref="ForwardAuthPolicy"/>).
/// </summary>
public sealed class ForwardAuthRule : ForwardAuthPolicy
{
    /// <summary>The original request's host, exact and ignoring case (port aside); <c>*.example.com</c> matches any subdomain.</summary>
    public string? Host { get; set; }

    /// <summary>The path starts with this (ordinal, after percent-decoding and dot-segment removal).</summary>
    public string? PathPrefix { get; set; }

    /// <summary>
    /// A .NET regular expression the path must match, anchored by its author (<c>^/api/</c>). Run with
    /// <c>RegexOptions.NonBacktracking</c>, so it takes linear time on any path (no lookarounds or backreferences).
    /// </summary>
    public string? PathPattern { get; set; }

    /// <summary>HTTP methods this rule applies to (ignoring case); empty: every method.</summary>
    public IList<string> Methods { get; } = [];
}
