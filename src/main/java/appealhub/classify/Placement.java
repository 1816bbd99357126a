package appealhub.classify;

import java.util.List;
import java.util.Map;

/**
 * Where an appeal goes and why.
 *
 * @param category    one of 民生服务, 矛盾纠纷, 违法违规, 应急处置
 * @param leadOrg     department or township code of the lead; null when unplaced
 * @param coOrgs      co-handling departments (joint handling)
 * @param urgency     urgent | normal
 * @param complexity  consult | general | complex (drives the 123 deadline)
 * @param confidence  0..1; below the triage threshold the appeal goes to manual triage
 * @param explanation why (rule that fired, matched words, township evidence), kept in the case file
 */
public record Placement(String category, String topic, String leadOrg, List<String> coOrgs, String townshipCode,
                        String urgency, String complexity, double confidence, Map<String, Object> explanation) {

    public boolean placed() {
        return leadOrg != null;
    }
}
