-- Each task sent once (issue 16, docs/reliability.md "Each task once"): who is sending a task's
-- message now, and until when. A placement claims its new tasks in its own transaction, under the
-- id of the hand-over it serves; a repeat placement (another hand-over of the same case) or the
-- recovery sends a task only after taking a free or lapsed claim with a conditional update. Two
-- senders of one task id at the same moment are not left to the broker's duplicate check, which
-- lets both copies through when they arrive together.
alter table task add column send_claim varchar(128);
alter table task add column send_claimed_until timestamp with time zone;
