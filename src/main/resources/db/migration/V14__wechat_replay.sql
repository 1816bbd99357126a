-- WeChat official account channel (connectors/wechat): replay protection of message pushes,
-- shared by every hub instance (issue 14, item 11).
--
-- WeChat signs a push's query (timestamp, nonce) but not its body, so a captured signed query
-- could carry another body. A push is taken only while its timestamp is within
-- replay-window-seconds of the hub's clock, and each nonce only once within that window: the
-- nonce is inserted here in the same transaction as the push's raw item, so a second push with
-- the same nonce fails on the primary key (kept REJECTED, never taken in). The row also says
-- that its raw item passed these checks: a raw item left RECEIVED (the hub failed after storing
-- it) is taken in later by the recovery only when it has its row here.
create table wechat_nonce (
    nonce           varchar(128) primary key,
    push_timestamp  bigint       not null,            -- the query's timestamp (epoch seconds)
    openid          varchar(128),                     -- the query's openid
    raw_item_id     bigint       not null,
    expires_at      timestamp with time zone not null -- purged after this, once its raw item is settled
);
create index wechat_nonce_raw on wechat_nonce (raw_item_id);
create index wechat_nonce_expiry on wechat_nonce (expires_at);
