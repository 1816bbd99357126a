package appealhub.retention;

import java.util.List;

/**
 * A channel's own tables that hold personal data of a case's appeals (WeChat's openids, the texts
 * of 督查 results, ...), purged together with the case: {@link RetentionService} calls every one in
 * the transaction that claims and purges the case. The connectors implement it, so the retention
 * knows no channel's tables.
 */
public interface ChannelRetention {

    /**
     * Purges or pseudonymises what this channel keeps of these appeals (all of one closed case).
     *
     * @return rows changed
     */
    int purge(String caseId, List<String> appealIds);
}
