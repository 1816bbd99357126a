-- WeChat official account channel (connectors/wechat): follower state for attaching a
-- follower's location and photos to the text appeal they belong to.

-- One row per follower (openid): their latest text appeal, which later locations and
-- images within the window attach to. Locked (select for update) while attaching.
create table wechat_follower (
    openid          varchar(128) primary key,
    last_msg_id     varchar(64),
    last_appeal_id  varchar(40),
    last_text_at    timestamp with time zone,       -- the text's CreateTime
    updated_at      timestamp with time zone not null
);

-- Every text, location and image message by MsgId (WeChat re-sends the same MsgId).
-- A text has its appeal; a location or image has one once attached, none while held
-- (sent before the text) or when no text came within the window.
create table wechat_message (
    msg_id          varchar(64)  primary key,
    openid          varchar(128) not null,
    msg_type        varchar(16)  not null,          -- text, location, image
    created_at      timestamp with time zone not null,  -- the message's CreateTime
    raw_item_id     bigint       not null,
    detail          text,                           -- location/image fields as JSON
    appeal_id       varchar(40),
    attached_at     timestamp with time zone
);
create index wechat_message_held on wechat_message (openid, appeal_id, created_at);
