package appealhub.classify.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Argument parsing shared by the trainer, evaluator and benchmark: {@code --key value} and {@code --flag}. */
final class Cli {

    /** The raw training file, beside the project as in the workspace layout (shared/ next to main/). */
    static final String DEFAULT_TRAINING_FILE = "../shared/data/leaderboard-messages.extra.csv";
    /** The words-only file added to the default training file (docs/classification.md). */
    static final String DEFAULT_SEGMENTED_FILE = "../shared/data/leaderboard-messages.segmented.csv";
    static final String DEFAULT_MODEL_FILE = "config/model/topic-model.tsv.gz";

    private Cli() {}

    /**
     * The words-only file: {@code --segmented FILE}, {@code --segmented none} for none; by default
     * the shared one, but only when {@code --data} is the default too (a CSV of one's own is
     * trained on alone unless asked).
     */
    static Path segmentedFile(Map<String, String> opt) {
        String s = opt.get("segmented");
        if (s == null) {
            return opt.containsKey("data") ? null : Path.of(DEFAULT_SEGMENTED_FILE);
        }
        return s.equals("none") ? null : Path.of(s);
    }

    static TrainingSet trainingSet(Path data, Path segmented) throws java.io.IOException {
        List<LabelledAppeals.Example> raw = LabelledAppeals.read(data);
        return segmented == null ? TrainingSet.rawOnly(raw) : TrainingSet.of(raw, LabelledAppeals.readSegmented(segmented));
    }

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
