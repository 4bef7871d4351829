using Latchkey.Stores;

namespace Latchkey.Server.Pages;

/// <summary>What <c>Shared/_Pager</c> needs to link the pages of a list: its name, where it is, and how to link a page number.</summary>
internal sealed record Pager(string Label, int PageNumber, int TotalPages, Func<int, string> Link)
{
    public Pager(string label, Page<Tokens.PersonalAccessToken> page, Func<int, string> link)
        : this(label, page.PageNumber, page.TotalPages, link)
    {
    }
}
