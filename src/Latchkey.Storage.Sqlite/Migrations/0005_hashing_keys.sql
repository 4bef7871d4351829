-- The token hashing keys live outside the database; this records, per key id, a check value (the first 8 bytes of
-- an HMAC of a fixed label under the key, hex) from the first process that used it, so that one holding a different
-- key under the same id (a key file generated anew, or another node's) refuses to start instead of rejecting every
-- token. first_used_at is unix milliseconds (UTC), like every time here.
CREATE TABLE hashing_keys (
    key_id        TEXT    PRIMARY KEY,
    check_value   TEXT    NOT NULL,
    first_used_at INTEGER NOT NULL
) STRICT;
