using Latchkey.Server.Dialects.Sanctum;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>Laravel's error answers for the document: <c>{"message","errors"}</c> on a 422, <c>{"message"}</c> otherwise.</summary>
internal static class LaravelAnswers
{
    public static TBuilder AnswersLaravelErrors<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            _ = status == StatusCodes.Status422UnprocessableEntity
                ? builder.Answers<LaravelValidationProblem, TBuilder>(status)
                : builder.Answers<LaravelMessage, TBuilder>(status);
        }

        return builder;
    }
}
