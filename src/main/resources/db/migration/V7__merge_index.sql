-- Near-duplicate index (appealhub.merge, issue 5): one row per case that new appeals may be
-- merged into (open and recently closed cases). What is kept is enough to rebuild the
-- in-memory LSH bands at start without re-reading any text: the exact shingle ids, the
-- MinHash signatures and the metadata signals. Never the phone in clear: phone_hmac is
-- HMAC-SHA256(hub.merge.phone-key, digits), hex. Arrays are big-endian int32 packed in bytea.
-- Written for PostgreSQL; the embedded default runs it on H2 in PostgreSQL mode.
create table merge_index (
    case_id          varchar(40)  primary key,
    received_at      timestamp with time zone not null,
    township_code    varchar(16),
    place            varchar(256),              -- normalised place text
    lat              double precision,
    lon              double precision,
    phone_hmac       varchar(64),
    minhash_version  integer      not null,     -- bands*1000+rows: rows of another version are re-signed from shingles
    shingles         bytea        not null,
    signature        bytea        not null,
    prefix_signature bytea,
    indexed_at       timestamp with time zone not null
);
create index merge_index_received on merge_index (received_at);
