using Microsoft.AspNetCore.Mvc;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>The native API's error answers for the document: RFC 9457 problem details.</summary>
internal static class NativeAnswers
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>Problem details with each of <paramref name="statuses"/>.</summary>
    public static TBuilder AnswersProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.Answers<ProblemDetails, TBuilder>(status, ProblemJson);
        }

        return builder;
    }

    /// <summary>A 400 whose problem names the fields that are wrong (<c>errors</c>).</summary>
    public static TBuilder AnswersValidationProblem<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.Answers<HttpValidationProblemDetails, TBuilder>(StatusCodes.Status400BadRequest, ProblemJson);

    /// <summary>What every authenticated native endpoint may answer: no or a bad token, a missing scope, too many failures.</summary>
    public static TBuilder AnswersAuthenticationProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
        => builder.AnswersProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
}
