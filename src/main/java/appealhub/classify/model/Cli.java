package appealhub.classify.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Argument parsing shared by the trainer, evaluator and benchmark: {@code --key value} and {@code --flag}. */
final class Cli {

    /** The training file, beside the project as in the workspace layout (shared/ next to main/). */
    static final String DEFAULT_TRAINING_FILE = "../shared/data/leaderboard-messages.train.csv";
    static final String DEFAULT_MODEL_FILE = "config/model/topic-model.tsv.gz";

    private Cli() {}

    static Map<String, String> options(String[] args, String... known) {
        List<String> keys = Arrays.asList(known);
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'; options: --" + String.join(" --", known));
            }
            String key = a.substring(2);
            String value = "true";
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            }
            if (!keys.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "; options: --" + String.join(" --", known));
            }
            out.put(key, value);
        }
        return out;
    }
}
