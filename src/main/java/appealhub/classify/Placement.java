package appealhub.classify;

import java.util.List;
import java.util.Map;

/**
 * Where an appeal goes and why.
 *
 * @param category     one of 民生服务, 矛盾纠纷, 违法违规, 应急处置
 * @param topic        first-level class (the learned model's labels, e.g. 城乡建设)
 * @param leadOrg      department or township code of the lead; null when the appeal goes to manual triage
 * @param coOrgs       co-handling organisations (joint handling)
 * @param urgency      urgent | normal
 * @param complexity   consult | general | complex (drives the 123 deadline)
 * @param confidence   0..1 of the lead decision; below the triage threshold the appeal goes to manual triage
 * @param explanation  why (class scores, rule that fired, matched words, township evidence, model version)
 * @param confidences  0..1 of each dimension: category, topic, urgency, complexity, lead, township
 * @param suggestions  for manual triage: the best places the hub can think of, best first
 * @param triageReason why the appeal goes to manual triage (null when placed)
 */
public record Placement(String category, String topic, String leadOrg, List<String> coOrgs, String townshipCode,
                        String urgency, String complexity, double confidence, Map<String, Object> explanation,
                        Map<String, Double> confidences, List<Suggestion> suggestions, String triageReason) {

    /** A place an operator may pick in triage: a class with its departments. */
    public record Suggestion(String topic, double probability, String leadOrg, List<String> coOrgs, String why) {}

    public Placement(String category, String topic, String leadOrg, List<String> coOrgs, String townshipCode,
                     String urgency, String complexity, double confidence, Map<String, Object> explanation) {
        this(category, topic, leadOrg, coOrgs, townshipCode, urgency, complexity, confidence, explanation,
                Map.of(), List.of(), leadOrg == null ? "unplaced" : null);
    }

    public boolean placed() {
        return leadOrg != null;
    }
}
