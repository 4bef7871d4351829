namespace Latchkey.Users;

public static class UserStates
{
    public const string Active = "active";
    public const string Blocked = "blocked";
}
