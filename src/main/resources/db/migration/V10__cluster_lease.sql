-- Leader leases (appealhub.cluster, docs/cluster.md): hub instances sharing this database run
-- the pollers (12345 pull, leader-board pull, supervision inbox and daily batch) on one instance
-- at a time. One row per namespace, held by one node until expires_at; the holder renews it, a
-- node takes it over only with a conditional update once it has expired, and a node stopping
-- deletes its rows so another takes over at once.
-- Written for PostgreSQL; the embedded default runs it on H2 in PostgreSQL mode.
create table cluster_lease (
    namespace    varchar(64)  primary key,   -- e.g. hotline12345-pull
    holder       varchar(128) not null,      -- node id (hub.cluster.node-id)
    acquired_at  timestamp with time zone not null,   -- when this holder took it
    renewed_at   timestamp with time zone not null,
    expires_at   timestamp with time zone not null
);
