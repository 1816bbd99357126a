package appealhub.merge;

import java.util.List;

/**
 * The detector's answer: the appeal looks like the same problem as case {@code caseId}.
 *
 * @param caseId         the existing case to join
 * @param score          combined score (text similarity plus/minus the other signals); a
 *                       merge needs {@code score >= hub.merge.merge-threshold}
 * @param textSimilarity the verified text similarity, max(Jaccard, containment) on shingles
 * @param reasons        human-readable reasons, for the case file (no personal data)
 */
public record MergeDecision(String caseId, double score, double textSimilarity, List<String> reasons) {
    public MergeDecision {
        reasons = List.copyOf(reasons);
    }
}
