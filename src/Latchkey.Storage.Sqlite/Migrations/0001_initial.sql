-- Users, tokens and the audit log. Timestamps are INTEGER unix milliseconds (UTC); STRICT makes SQLite refuse a
-- value of the wrong type instead of storing it quietly (a DateTimeOffset bound as text, say).

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    email         TEXT,
    name          TEXT,
    password_hash TEXT    NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    state         TEXT    NOT NULL DEFAULT 'active',
    created_at    INTEGER NOT NULL
) STRICT;

-- AUTOINCREMENT, not just INTEGER PRIMARY KEY: ids must strictly increase and never be reused after a prune,
-- because APIs we imitate promise that.
CREATE TABLE tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id     TEXT    NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          INTEGER NOT NULL,
    name          TEXT    NOT NULL,
    description   TEXT,
    scopes        TEXT    NOT NULL,
    token_hash    BLOB    NOT NULL CHECK (length(token_hash) = 32),
    key_id        TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,
    last_used_at  INTEGER,
    last_used_ips TEXT    NOT NULL DEFAULT '[]',
    revoked_at    INTEGER,
    rotated       INTEGER NOT NULL DEFAULT 0 CHECK (rotated IN (0, 1)),
    -- No foreign keys on the lineage columns: pruning deletes old members of a family and parents of
    -- long-dead access tokens, and must not be blocked or cascade through the survivors.
    family_id     INTEGER NOT NULL,
    previous_id   INTEGER,
    parent_id     INTEGER,
    origin        TEXT    NOT NULL,
    attributes    TEXT    NOT NULL DEFAULT '{}'
) STRICT;

CREATE UNIQUE INDEX ux_tokens_token_hash ON tokens (token_hash);
CREATE UNIQUE INDEX ux_tokens_public_id ON tokens (public_id);
CREATE INDEX ix_tokens_user_kind ON tokens (user_id, kind);
CREATE INDEX ix_tokens_family ON tokens (family_id);
CREATE INDEX ix_tokens_parent ON tokens (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX ix_tokens_expires_at ON tokens (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX ix_tokens_revoked_at ON tokens (revoked_at) WHERE revoked_at IS NOT NULL;

-- No foreign keys: the audit log outlives the tokens (pruned) and users it mentions.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              INTEGER NOT NULL,
    action          TEXT    NOT NULL,
    actor_user_id   INTEGER,
    token_id        INTEGER,
    subject_user_id INTEGER,
    ip_address      TEXT,
    details         TEXT
) STRICT;
