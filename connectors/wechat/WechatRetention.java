package appealhub.connectors.wechat;

import appealhub.retention.ChannelRetention;
import java.util.List;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the WeChat channel keeps of a closed case's appeals, purged with the case: the follower's
 * openid on each message (it reaches the person), the messages' location and image details, and
 * the follower's state when its latest text is one of these appeals (a later text keeps it).
 */
@Component
public class WechatRetention implements ChannelRetention {
    /** Stands in for the openid of a purged message (the column is not null; MsgId stays, for re-sends). */
    static final String PURGED = "purged";

    private final NamedParameterJdbcTemplate jdbc;

    public WechatRetention(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public int purge(String caseId, List<String> appealIds) {
        if (appealIds.isEmpty()) return 0;
        var ids = java.util.Map.of("ids", appealIds, "purged", PURGED);
        return jdbc.update("update wechat_message set openid = :purged, detail = null where appeal_id in (:ids)", ids)
                + jdbc.update("delete from wechat_follower where last_appeal_id in (:ids)", ids);
    }
}
