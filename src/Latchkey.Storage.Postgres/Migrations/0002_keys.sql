-- Keys every node shares.
--
-- ASP.NET Core Data Protection's key ring (session and antiforgery cookies, encrypted authenticator keys): one row
-- per key, the XML the key manager writes, named as PersistKeysToFileSystem names its files (key-<guid>, without
-- ".xml"), so a folder of key files copies in as it is. Not encrypted at rest unless the host adds ProtectKeysWith*.
CREATE TABLE data_protection_keys (
    friendly_name text        PRIMARY KEY,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- The token hashing keys live outside the database; this records, per key id, a check value (the first 8 bytes of
-- an HMAC of a fixed label under the key, hex) from the first node that used it, so that a node holding a different
-- key under the same id (a key file generated on its own) refuses to start instead of rejecting the others' tokens.
CREATE TABLE hashing_keys (
    key_id        text   PRIMARY KEY,
    check_value   text   NOT NULL,
    first_used_at bigint NOT NULL -- unix milliseconds, as every time the stores keep
);
