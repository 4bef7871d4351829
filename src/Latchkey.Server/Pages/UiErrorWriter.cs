using Latchkey.AspNetCore;

namespace Latchkey.Server.Pages;

/// <summary>
/// What the web UI answers where Latchkey writes the answer rather than a page: a plain page while the database is
/// unavailable (503, from the exception handler), problem details as before otherwise (a personal access token put
/// in the session cookie by hand, 403). The page needs nothing from the store, not even the layout's session.
/// </summary>
internal sealed class UiErrorWriter : ILatchkeyErrorWriter
{
    public static readonly UiErrorWriter Instance = new();

    private static readonly string UnavailablePage = $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>Unavailable · Latchkey</title>
            <link rel="stylesheet" href="/css/latchkey.css">
        </head>
        <body>
            <header class="site-header"><a class="brand" href="/">Latchkey</a></header>
            <main id="main">
                <h1>Latchkey is unavailable</h1>
                <p>{LatchkeyDefaults.StoreUnavailableMessage}</p>
            </main>
        </body>
        </html>

        """;

    public Task WriteAsync(HttpContext context, LatchkeyAuthError error, string? scope)
    {
        if (error != LatchkeyAuthError.StoreUnavailable)
        {
            return ProblemDetailsErrorWriter.Instance.WriteAsync(context, error, scope);
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(UnavailablePage, context.RequestAborted);
    }
}
