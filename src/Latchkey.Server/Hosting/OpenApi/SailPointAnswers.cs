using Latchkey.Server.Dialects.SailPoint;

namespace Latchkey.Server.Hosting.OpenApi;

/// <summary>SailPoint's error answers for the document: its <c>ErrorResponseDto</c> for every status.</summary>
internal static class SailPointAnswers
{
    public static TBuilder AnswersSailPointErrors<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.Answers<ErrorResponseDto, TBuilder>(status);
        }

        return builder;
    }
}
