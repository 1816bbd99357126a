package appealhub.classify.model;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns a title and a content into weighted term counts: character n-grams within runs of
 * word characters (punctuation and spaces split runs), optionally SmartCN words (prefixed
 * "w "), with title occurrences counting {@code titleWeight} times. Thread-safe.
 */
public final class FeatureExtractor {

    private final ModelSettings settings;
    private final WordSegmenter segmenter;

    public FeatureExtractor(ModelSettings settings) {
        this.settings = settings;
        this.segmenter = settings.words().equals("smartcn") ? WordSegmenter.smartcn() : null;
    }

    public Map<String, Double> counts(String title, String content) {
        Map<String, Double> out = new HashMap<>(256);
        add(out, TextNormalizer.normalize(title), settings.titleWeight());
        add(out, TextNormalizer.normalize(content), 1.0);
        return out;
    }

    private void add(Map<String, Double> out, String text, double weight) {
        if (text.isEmpty()) {
            return;
        }
        if (settings.ngramMax() > 0) {
            int len = text.length();
            int start = 0;
            while (start < len) {
                while (start < len && !TextNormalizer.isWordChar(text.charAt(start))) {
                    start++;
                }
                int end = start;
                while (end < len && TextNormalizer.isWordChar(text.charAt(end))) {
                    end++;
                }
                for (int i = start; i < end; i++) {
                    for (int n = settings.ngramMin(); n <= settings.ngramMax() && i + n <= end; n++) {
                        out.merge(text.substring(i, i + n), weight, Double::sum);
                    }
                }
                start = end;
            }
        }
        if (segmenter != null) {
            for (String w : segmenter.words(text)) {
                out.merge("w " + w, weight, Double::sum);
            }
        }
    }
}
