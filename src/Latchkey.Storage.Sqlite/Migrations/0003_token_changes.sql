-- Changes to how tokens authenticate, for the other processes on this database file: each one polls the rows after
-- the last id it read and drops those tokens from its cache. Written in the same transaction as the change, so no
-- change is lost when the writer dies right after its commit. Rows name a token or a user; they are pruned after a
-- few minutes (a process that read nothing for that long clears its whole cache instead).
CREATE TABLE token_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_id INTEGER,
    user_id INTEGER,
    at INTEGER NOT NULL,
    CHECK ((token_id IS NULL) <> (user_id IS NULL))
);
