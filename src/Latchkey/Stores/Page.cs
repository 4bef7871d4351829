namespace Latchkey.Stores;

/// <summary>One page of results. <see cref="PageNumber"/> counts from 1.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int PageNumber, int PerPage)
{
    public int TotalPages => PerPage <= 0 ? 0 : (int)((Total + PerPage - 1) / PerPage);
}
