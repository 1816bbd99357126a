-- The metrics' running totals (issue 16: "metrics refresh <= 1 s, no full scans"), kept so that a
-- restarted hub, or another instance, starts from them instead of counting a year of raw items,
-- tasks, feedback rows and merge events again. One row per counter: the rows counted are those
-- older than cutoff (or, for the merge events, up to last_id), totals is their JSON. Any instance
-- may write a row; an update only ever moves a counter's cutoff forward (DomainCounts).
create table metrics_settled (
    counter     varchar(20)              primary key,
    cutoff      timestamp with time zone,
    last_id     bigint,
    totals      text                     not null,
    saved_at    timestamp with time zone not null
);
