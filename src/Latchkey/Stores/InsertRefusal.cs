namespace Latchkey.Stores;

public enum InsertRefusal
{
    None,
    LimitReached,
    NameTaken,
}
