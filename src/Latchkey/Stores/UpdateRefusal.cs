namespace Latchkey.Stores;

public enum UpdateRefusal
{
    None,

    /// <summary>The new name is held by another of the owner's active tokens and names must be unique.</summary>
    NameTaken,
}
