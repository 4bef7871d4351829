namespace Latchkey.Storage.Postgres;

/// <summary>
/// Usernames compare as SQLite's <c>COLLATE NOCASE</c> compares them: A-Z folded to a-z and nothing else.
/// <c>lower()</c> under the "C" collation folds ASCII only, whatever the database's locale, and the expression is
/// the one the unique index <c>ux_users_username_nocase</c> is built on, so lookups use it.
/// </summary>
internal static class UsernameSql
{
    public const string Folded = "lower(username COLLATE \"C\")";

    /// <summary>A condition on <c>users</c>: the username equals <paramref name="parameter"/> without regard to case.</summary>
    public static string Matches(string parameter) => $"{Folded} = lower({parameter} COLLATE \"C\")";
}
