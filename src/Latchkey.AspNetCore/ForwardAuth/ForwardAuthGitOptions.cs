namespace Latchkey.AspNetCore.ForwardAuth;

/// <summary>
/// The built-in Git rules, bound from <c>Latchkey:ForwardAuth:Git</c>: any path ending in <c>.git/info/refs</c>,
/// <c>.git/git-upload-pack</c> or <c>.git/git-receive-pack</c> needs <c>read_repository</c> (fetch, clone) or
/// <c>write_repository</c> (push) and is challenged with HTTP Basic, so <c>git</c> asks for credentials.
/// </summary>
public sealed class ForwardAuthGitOptions
{
    /// <summary>Apply the Git rules (before any configured rule).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Accept <c>username:password</c> (an account password, not a token) on the Git rules, for users without
    /// two-factor authentication; users with it are told to use a personal access token. A password never passes any
    /// other rule and never opens a session. Off by default, as on GitLab when password authentication for Git is disabled.
    /// </summary>
    public bool AllowPasswords { get; set; }
}
