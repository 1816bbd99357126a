-- Issue 16, item 3 (a year of data: 1M cases, 3M raw items, 5M case events): indexes for the
-- operations reads and the metrics refresh, so none of them scans a whole table (figures and
-- EXPLAIN in docs/performance-year.md). Same SQL for PostgreSQL and H2 (PostgreSQL mode).

-- Dashboard pipeline ("fed back": a RESOLVED case with a DONE result) and a case's feedback.
create index feedback_outbox_case on feedback_outbox (case_id, kind, status);
-- Metrics refresh: feedback rows per channel, counted once they are older than a few minutes.
create index feedback_outbox_created on feedback_outbox (created_at, channel);

-- Metrics refresh (raw items by channel and status, by received_at window), dashboard and daily report.
create index raw_item_received on raw_item (received_at, channel, parse_status);

-- Dashboard inflow (today, by hour) and daily report (a day): appeals by received_at.
create index appeal_source_received on appeal_source (received_at, channel);
-- Case search by the channel's item id (the unique key starts with the channel).
create index appeal_source_item on appeal_source (source_item_id);

-- Case search: newest first, by status, by a date range; daily report's urgent cases of a day.
create index hub_case_created on hub_case (created_at);
create index hub_case_status_created on hub_case (status, created_at);

-- Metrics refresh (tasks per organisation by created_at window) and daily report (dispatched in a day).
create index task_created on task (created_at, org_code, role);
-- Daily report and dashboard: lead tasks resolved in a day / today.
create index task_status_updated on task (status, updated_at);

-- Daily report: merged, triaged, returned and evaluated events of a day.
create index case_event_type_at on case_event (type, at);
