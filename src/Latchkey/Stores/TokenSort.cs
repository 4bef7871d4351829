namespace Latchkey.Stores;

/// <summary>Orders of a token listing; ties are broken by id in the same direction.</summary>
public enum TokenSort
{
    CreatedDesc,
    CreatedAsc,
    ExpiresDesc,
    ExpiresAsc,
    LastUsedDesc,
    LastUsedAsc,
    NameDesc,
    NameAsc,
    IdDesc,
    IdAsc,
}
