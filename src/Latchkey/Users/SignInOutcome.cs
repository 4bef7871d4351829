namespace Latchkey.Users;

public enum SignInOutcome
{
    /// <summary>A session was opened (<see cref="SignInResult.Session"/>).</summary>
    Succeeded,

    /// <summary>Unknown user, wrong password, blocked, or a wrong second factor: never said which.</summary>
    Failed,

    /// <summary>The password was right and the user has two-factor authentication: a code is needed as well.</summary>
    SecondFactorRequired,
}
