using Latchkey.Server.Dialects.GitLab;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>
/// GitLab's error answers for the document: <c>{"message"}</c> from its API helpers, <c>{"error"}</c> from Grape's
/// parameter checks, and RFC 6750's <c>insufficient_scope</c> body on a 403 for a missing scope.
/// </summary>
internal static class GitLabAnswers
{
    public static TBuilder AnswersGitLabErrors<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            _ = status switch
            {
                StatusCodes.Status400BadRequest => builder.AnswersOneOf(status, typeof(GitLabMessage), typeof(GitLabError)),
                StatusCodes.Status403Forbidden => builder.AnswersOneOf(status, typeof(GitLabMessage), typeof(GitLabScopeError)),
                StatusCodes.Status415UnsupportedMediaType => builder.Answers<GitLabError, TBuilder>(status),
                _ => builder.Answers<GitLabMessage, TBuilder>(status),
            };
        }

        return builder;
    }
}
