namespace Latchkey.Server.Tests.BadInput;

/// <summary>The error shape a route answers in.</summary>
public enum BodyRouteShape
{
    /// <summary>Native: RFC 9457 problem details.</summary>
    Problem,

    /// <summary><c>{"message"}</c> or <c>{"error"}</c>.</summary>
    GitLab,

    /// <summary><c>{"id","name","message","details"}</c>, or the body parser's <c>{"message"}</c>.</summary>
    Unleash,

    /// <summary><c>ErrorResponseDto</c>.</summary>
    SailPoint,

    /// <summary>RFC 6749 <c>{"error","error_description"}</c>.</summary>
    OAuth,

    /// <summary><c>{"message"}</c>, with <c>errors</c> for a 422.</summary>
    Laravel,
}
