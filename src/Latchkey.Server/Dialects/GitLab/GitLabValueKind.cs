namespace Latchkey.Server.Dialects.GitLab;

internal enum GitLabValueKind
{
    Text,
    List,
    Null,

    /// <summary>A JSON object, or an array holding one: no GitLab parameter of ours takes those.</summary>
    Unusable,
}
