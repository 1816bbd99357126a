package appealhub.merge;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.merge}: near-duplicate detection (see docs/merge.md). Defaults here equal the
 * shipped config/application.yml values.
 */
@ConfigurationProperties(prefix = "hub.merge")
public record MergeProperties(
        @DefaultValue("true") boolean enabled,
        /** HMAC-SHA256 key for phone numbers; keep it out of the database (env HUB_MERGE_PHONE_KEY). */
        @DefaultValue("demo-merge-phone-key-change-me") String phoneKey,
        /** Only cases received within this many days of the new appeal are compared. */
        @DefaultValue("30") int windowDays,
        /** Combined score needed to merge. */
        @DefaultValue("0.70") double mergeThreshold,
        /** Text similarity below this never merges, whatever the other signals say. */
        @DefaultValue("0.45") double minTextSimilarity,
        /** Containment (truncation) only counts when the smaller text has this many shingles. */
        @DefaultValue("30") int minContainmentShingles,
        /** Normalised content characters that make the "prefix" signature (finds truncated copies). */
        @DefaultValue("80") int prefixChars,
        /** LSH: bands x rows = MinHash values per signature. */
        @DefaultValue("20") int bands,
        @DefaultValue("5") int rows,
        /** Bonuses and penalties added to the text similarity. */
        @DefaultValue("0.15") double samePhoneBonus,
        @DefaultValue("0.05") double sameTownshipBonus,
        @DefaultValue("0.10") double samePlaceBonus,
        @DefaultValue("0.10") double nearPinBonus,
        @DefaultValue("0.05") double closeTimeBonus,
        @DefaultValue("0.30") double otherTownshipPenalty,
        @DefaultValue("0.30") double farPinPenalty,
        /** Pins within this many metres are "near" (full bonus at 0 m, none at this distance). */
        @DefaultValue("500") double nearPinMeters,
        /** Pins farther apart than this are a different place (penalty). */
        @DefaultValue("3000") double farPinMeters,
        /** Appeals received within this many hours are "close in time". */
        @DefaultValue("72") int closeTimeHours,
        /**
         * A text shorter than this many distinct bigrams ("反映一个问题", "邻里纠纷") says too little
         * to merge on alone: it merges only with the same phone, the same place or a near pin.
         */
        @DefaultValue("30") int minShinglesAlone) {

    /** The shipped defaults (benchmarks and unit tests use them without Spring). */
    public static MergeProperties defaults() {
        return new MergeProperties(true, "demo-merge-phone-key-change-me", 30, 0.70, 0.45, 30, 80, 20, 5,
                0.15, 0.05, 0.10, 0.10, 0.05, 0.30, 0.30, 500, 3000, 72, 30);
    }

    public MergeProperties withBands(int bands, int rows) {
        return new MergeProperties(enabled, phoneKey, windowDays, mergeThreshold, minTextSimilarity, minContainmentShingles,
                prefixChars, bands, rows, samePhoneBonus, sameTownshipBonus, samePlaceBonus, nearPinBonus, closeTimeBonus,
                otherTownshipPenalty, farPinPenalty, nearPinMeters, farPinMeters, closeTimeHours, minShinglesAlone);
    }

    public MergeProperties withThresholds(double merge, double minText) {
        return new MergeProperties(enabled, phoneKey, windowDays, merge, minText, minContainmentShingles, prefixChars,
                bands, rows, samePhoneBonus, sameTownshipBonus, samePlaceBonus, nearPinBonus, closeTimeBonus,
                otherTownshipPenalty, farPinPenalty, nearPinMeters, farPinMeters, closeTimeHours, minShinglesAlone);
    }
}
