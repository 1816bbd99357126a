-- Leader message boards: the incremental-pull cursor, kept durably. It is written only
-- after every message of a page has been taken in (IntakeService committed), so a restart
-- pulls from the last page fully processed: nothing skipped, nothing processed twice.
create table leaderboard_cursor (
    feed            varchar(64)  primary key,    -- which feed ("messages"; one row per board feed)
    cursor_value    varchar(256) not null,       -- the board's nextCursor, sent back as since=
    messages_taken  bigint       not null default 0,  -- messages taken in under this feed so far
    updated_at      timestamp with time zone not null
);
