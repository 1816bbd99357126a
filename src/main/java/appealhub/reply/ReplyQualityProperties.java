package appealhub.reply;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.reply-quality}: the check (验收) of a lead's 办结 before it goes upstream
 * (docs/reply-quality.md). Defaults here equal the shipped config/application.yml values,
 * calibrated on the 2,816 real replies (bench/reply-quality.sh).
 */
@ConfigurationProperties(prefix = "hub.reply-quality")
public record ReplyQualityProperties(
        /** Off: every 办结 goes upstream as before. */
        @DefaultValue("true") boolean enabled,
        /** A reply scoring below this (0-100) is held for operations. */
        @DefaultValue("45") int minScore,
        /**
         * Share of the appeal's title words (character bigrams) the reply must take up, or of its
         * content's; below it the reply is not about this appeal (held).
         */
        @DefaultValue("0.05") double minRelevance,
        /** A reply with fewer characters (letters and digits, punctuation not counted) is held. */
        @DefaultValue("15") int minChars,
        /** Hold a reply that carries personal data: an ID-card number or the citizen's own phone. */
        @DefaultValue("true") boolean holdOnPersonalData) {

    public static ReplyQualityProperties defaults() {
        return new ReplyQualityProperties(true, 45, 0.05, 15, true);
    }
}
