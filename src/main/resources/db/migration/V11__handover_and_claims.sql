-- Crash safety (docs/reliability.md).

-- A case's hand-over to placement (hub.intake): how many recovery attempts were made and when
-- the last one was, so each attempt carries a fresh duplicate id and a case that never gets
-- through is parked for operations (parked_at, parked_reason) instead of being retried for ever.
alter table hub_case add column handover_attempts integer not null default 0;
alter table hub_case add column handover_at timestamp with time zone;
alter table hub_case add column parked_at timestamp with time zone;
alter table hub_case add column parked_reason varchar(500);

-- A task's message is known to be on its queue (null: stored, message not yet confirmed sent).
-- Tasks stored before this column existed were sent.
alter table task add column queued_at timestamp with time zone;
update task set queued_at = created_at;
create index task_unqueued on task (queued_at, created_at);

-- A feedback row being delivered by one instance until claimed_until: two instances (or one
-- instance after a restart, before the claim runs out) never call the upstream for it at once.
alter table feedback_outbox add column claimed_by varchar(128);
alter table feedback_outbox add column claimed_until timestamp with time zone;
