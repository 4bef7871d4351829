-- Whether the rotation that retired a token was requested with that token as the credential. Such a token presented
-- to a rotate endpoint again shortly after is a client retrying (answered 409); any other rotated-away token
-- presented there is a reuse. When it was rotated is its revoked_at: rotation revokes, and nothing revokes twice.
ALTER TABLE tokens ADD COLUMN rotated_itself INTEGER NOT NULL DEFAULT 0 CHECK (rotated_itself IN (0, 1));
