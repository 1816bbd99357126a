-- Issue 16, item 3 (a year of data), third pass: the dashboard, the daily report and the case
-- search by status read index entries only, on H2 (the demo default) as on PostgreSQL. H2 fetches
-- a table row for every column its index lacks, which at 100k cases was most of these reads' time
-- (EXPLAIN ANALYZE in docs/performance-year.md). Same SQL for both databases.

-- Case search by status, newest first: the page read in the index's order (CaseSearch orders by
-- status first when it filters by one, so H2 sees the order; PostgreSQL does either way). Replaces
-- V17's (status, created_at).
drop index hub_case_status_created;
create index hub_case_status_newest on hub_case (status, created_at desc, case_id);

-- Dashboard backlog, daily report "overdue" and the deadline timers' overdue tasks: the open tasks
-- (and their case's status) without reading either table's rows. Replaces V8's (status, deadline),
-- its first two columns.
drop index task_status_deadline;
create index task_open on task (status, deadline, role, created_at, org_code, case_id);
create index hub_case_id_status on hub_case (case_id, status);

-- Dashboard "resolved today", daily report "resolved" and "overdue at the day's end": lead tasks
-- by status and time with what those reads compare. Replaces V17's (status, updated_at).
drop index task_status_updated;
create index task_status_updated on task (status, updated_at, role, deadline, created_at);

-- Dashboard failed feedback: REFUSED and retrying rows per channel from the index alone.
create index feedback_outbox_failed on feedback_outbox (status, channel, attempts);
