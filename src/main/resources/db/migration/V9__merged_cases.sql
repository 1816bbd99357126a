-- Merging near-duplicate appeals into one case (issue 5).
-- A case whose only appeal joined another case keeps its row, status MERGED, pointing at
-- the case it joined; the appeal remembers the case it was received as, so operations can
-- split it back (undo) into that case.
alter table hub_case add column merged_into varchar(40);
-- distinct citizens who reported this case's problem (phone, else one per appeal)
alter table hub_case add column citizen_count integer not null default 1;
-- 热点: several different citizens reported it; raises the case's priority
alter table hub_case add column hot boolean not null default false;
-- JMS priority of the case's messages: 4 normal, 7 hot issue, 9 urgent
alter table hub_case add column priority integer not null default 4;
-- set when operations split a wrong merge: the case is never merged automatically again
alter table hub_case add column merge_blocked boolean not null default false;
alter table appeal add column origin_case_id varchar(40);
create index hub_case_hot on hub_case (hot, status);
