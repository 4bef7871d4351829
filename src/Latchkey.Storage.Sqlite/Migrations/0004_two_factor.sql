-- Two-factor authentication. The authenticator keys are encrypted by the server (ASP.NET Core Data Protection, keys
-- outside the database); last_step is the last accepted time step, so an accepted code is never accepted again.
-- grace_from is the first sign-in while 2FA was required of a user who had none (the grace period counts from it).
ALTER TABLE users ADD COLUMN two_factor_secret TEXT;
ALTER TABLE users ADD COLUMN two_factor_pending_secret TEXT;
ALTER TABLE users ADD COLUMN two_factor_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN two_factor_last_step INTEGER;
ALTER TABLE users ADD COLUMN two_factor_grace_from INTEGER;

-- Single-use recovery codes, stored only as keyed hashes (HMAC-SHA256 under the hashing key named by key_id).
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key_id     TEXT    NOT NULL,
    code_hash  BLOB    NOT NULL CHECK (length(code_hash) = 32),
    used_at    INTEGER
) STRICT;

CREATE INDEX recovery_codes_user ON recovery_codes (user_id);
