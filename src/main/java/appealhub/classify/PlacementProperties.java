package appealhub.classify;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * hub.classifier.* of the placement (the learned model's own keys, e.g. model-file, sit in the
 * same block and are bound elsewhere).
 *
 * @param routing          config/routing.yaml: class → lead and co-departments
 * @param routingRules     config/routing-rules.yaml: operations' keyword overrides, re-read while running
 * @param rulesCheckMs     how often (at most) the rules file's modification time is looked at
 * @param townshipsGeo     map pin → township centroids
 * @param triageThreshold  a lead decision less sure than this goes to manual triage
 * @param modelTriageThreshold a lead the learned model chose alone (no rule, no department topic) less
 *                         sure than this goes to manual triage: the threshold of the cost table in
 *                         config/model/triage-costs.properties, on the model's calibrated probability
 *                         (docs/classification.md)
 * @param labelledHistory  CSV that operators' triage decisions are appended to (training columns)
 */
@ConfigurationProperties(prefix = "hub.classifier")
public record PlacementProperties(String routing, String routingRules, Long rulesCheckMs, String townshipsGeo,
                                  Double triageThreshold, Double modelTriageThreshold, String labelledHistory) {
    public PlacementProperties {
        if (routing == null) routing = "config/routing.yaml";
        if (routingRules == null) routingRules = "config/routing-rules.yaml";
        if (rulesCheckMs == null) rulesCheckMs = 3000L;
        if (townshipsGeo == null) townshipsGeo = "config/townships-geo.yaml";
        if (triageThreshold == null) triageThreshold = 0.45;
        if (modelTriageThreshold == null) modelTriageThreshold = 0.75;
        if (labelledHistory == null) labelledHistory = "./data/labelled/decisions.csv";
    }
}
