namespace Latchkey.AspNetCore.OAuth;

/// <summary>Why an OAuth request's form could not be read: the status to answer (400 or 413) and a sentence for <c>error_description</c>.</summary>
internal sealed record OAuthFormError(int StatusCode, string Description);
