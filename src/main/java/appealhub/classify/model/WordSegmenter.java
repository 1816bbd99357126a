package appealhub.classify.model;

import java.util.List;

/**
 * Chinese word segmentation, an optional feature ({@code words=smartcn}). The comparison that
 * chose the shipped model's features measured it (Lucene SmartCN) and found no gain over
 * character n-grams, so the segmenter is only on the test classpath
 * ({@code appealhub.classify.model.SmartCnSegmenter}, run through bench/topic-model-eval.sh).
 */
public interface WordSegmenter {

    String SMARTCN_CLASS = "appealhub.classify.model.SmartCnSegmenter";

    List<String> words(String text);

    static WordSegmenter smartcn() {
        try {
            return (WordSegmenter) Class.forName(SMARTCN_CLASS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("words=smartcn needs " + SMARTCN_CLASS
                    + " and lucene-analysis-smartcn on the classpath (the test classpath: use bench/topic-model-eval.sh)", e);
        }
    }
}
