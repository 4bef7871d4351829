using Latchkey.Server.Dialects.Unleash;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>
/// Unleash's error answers for the document: <c>{"id","name","message","details"}</c>, except what its body parser
/// refuses (a body that is not JSON, or too large), which is only <c>{"message"}</c>.
/// </summary>
internal static class UnleashAnswers
{
    public static TBuilder AnswersUnleashErrors<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            _ = status switch
            {
                StatusCodes.Status400BadRequest => builder.AnswersOneOf(status, typeof(UnleashError), typeof(UnleashBodyParserError)),
                StatusCodes.Status413PayloadTooLarge => builder.Answers<UnleashBodyParserError, TBuilder>(status),
                _ => builder.Answers<UnleashError, TBuilder>(status),
            };
        }

        return builder;
    }
}
