-- Deadline timers (appealhub.deadline, issue 6): per open task a reminder before its deadline
-- and an escalation at it (repeated every hub.deadlines.escalation-repeat until the task is
-- resolved or returned); per dispatched lead task an emergency check. Written in the same
-- transaction as the task. A scanner fires due rows; firing claims the row with a
-- conditional update, so hub instances sharing this database never fire one twice.
-- Written for PostgreSQL; the embedded default runs it on H2 in PostgreSQL mode.
create table deadline_timer (
    timer_id        varchar(64)  primary key,   -- <taskId>:reminder, <taskId>:escalation, <taskId>:emergency
    kind            varchar(16)  not null,      -- reminder, escalation, emergency
    task_id         varchar(40)  not null references task (task_id),
    case_id         varchar(40)  not null references hub_case (case_id),
    state           varchar(16)  not null,      -- ACTIVE (will fire), DONE (fired its last), STOPPED (not needed any more)
    next_fire_at    timestamp with time zone,   -- null once DONE or STOPPED
    fired_count     integer      not null default 0,
    level           integer,                    -- escalation: the level last sent (1 = first in hub.deadlines.escalation-levels)
    last_fired_at   timestamp with time zone,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null
);
create index deadline_timer_due on deadline_timer (state, next_fire_at);
create index deadline_timer_task on deadline_timer (task_id);
create index deadline_timer_kind on deadline_timer (kind, last_fired_at);

-- Overdue open tasks for operations (GET /ops/overdue).
create index task_status_deadline on task (status, deadline);

-- Tasks open when this version is installed get their escalation (no reminder: its time is
-- computed by the policy in force when a task is created).
insert into deadline_timer (timer_id, kind, task_id, case_id, state, next_fire_at, fired_count, created_at, updated_at)
select task_id || ':escalation', 'escalation', task_id, case_id, 'ACTIVE', deadline, 0, current_timestamp, current_timestamp
from task where status in ('SENT', 'ACCEPTED') and deadline is not null;
