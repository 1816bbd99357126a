package appealhub.ops;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/** Chinese names for what the operations pages and the daily report show. */
public final class Labels {
    /** Days, "today" and the daily report are Beijing days. */
    public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    /** The channels, in the order the pages list them. */
    public static final Map<String, String> CHANNELS = ordered(
            "hotline12345", "12345热线",
            "leaderboard", "领导留言板",
            "miniprogram", "小程序",
            "wechat", "微信公众号",
            "supervision", "互联网+督查",
            "grid", "网格上报");

    /** Case statuses, in the order of the pipeline. */
    public static final Map<String, String> STATUSES = ordered(
            "RECEIVED", "已接收",
            "TRIAGE", "待人工分拨",
            "DISPATCHED", "已分派",
            "ACCEPTED", "办理中",
            "RESOLVED", "已办结",
            "RETURNED_UPSTREAM", "已退回上级",
            "MERGED", "已合并");

    public static final Map<String, String> FEEDBACK_STATUSES = ordered(
            "PENDING", "待发送",
            "DONE", "已送达",
            "REFUSED", "被拒收",
            "CALLED_BACK", "已电话回访");

    private Labels() {}

    public static String channel(String code) {
        return CHANNELS.getOrDefault(code, code);
    }

    public static String status(String code) {
        return STATUSES.getOrDefault(code, code);
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
