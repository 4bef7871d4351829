namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>The values of a rule's <c>Challenge</c>.</summary>
public static class ForwardAuthChallenges
{
    /// <summary><c>WWW-Authenticate: Bearer realm="…"</c>, the default.</summary>
    public const string Bearer = "Bearer";

    /// <summary><c>WWW-Authenticate: Basic realm="…"</c>: browsers and <c>git</c> ask for a user name and password.</summary>
    public const string Basic = "Basic";
}
