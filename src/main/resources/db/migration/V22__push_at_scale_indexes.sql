-- Issue 16 (push throughput on a year of data): the reads that ran while pushes were placed and
-- scanned a whole table at 1M cases (docs/performance-year.md, "The whole hub on a 1M-case
-- PostgreSQL database"). Same SQL for PostgreSQL and H2.

-- FeedbackOutbox.due, polled by every channel's feedback route: a channel's pending rows in id
-- order (it walked the primary key over every row, 180-600 ms a poll at 820k rows) ...
create index feedback_outbox_channel_pending on feedback_outbox (channel, status, id);
-- ... and "no older pending row of the same source" answered by one index probe per row.
create index feedback_outbox_source_pending on feedback_outbox (channel, source_item_id, status, id);

-- CaseStore.appealsReceivedAs, when a merged case's hand-over is placed again: the appeals that
-- arrived as that case (a sequential scan of appeal, 1-6 s with the case row locked).
create index appeal_origin_case on appeal (origin_case_id);
