package appealhub.ops;

import appealhub.model.Pii;
import java.util.Map;

/**
 * Operators edit a message as they see it, with phone and ID numbers masked; before it is
 * sent, the masked numbers they left in place are put back as they were in the original.
 */
final class MaskedEdits {
    /** A masked number that stands for two different numbers in the original: cannot be put back. */
    static final class Ambiguous extends IllegalArgumentException {
        Ambiguous(String masked) {
            super("the message holds two different numbers shown as " + masked + ": edit it so that neither is left masked");
        }
    }

    private MaskedEdits() {}

    /** What an operator sees of the original. */
    static String shown(String original) {
        return Pii.maskInText(original);
    }

    /** The edited text with every masked number of the original restored. */
    static String restore(String original, String edited) {
        if (original == null || edited == null) return edited;
        // Every number Pii masks (mobiles with spaces or +86, landlines, ID numbers), as Pii finds it.
        java.util.List<String> ambiguous = new java.util.ArrayList<>();
        Map<String, String> byMask = Pii.numbersByMask(original, ambiguous);
        String out = edited;
        for (Map.Entry<String, String> e : byMask.entrySet()) {
            if (!out.contains(e.getKey())) continue;
            if (ambiguous.contains(e.getKey())) throw new Ambiguous(e.getKey());
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }
}
