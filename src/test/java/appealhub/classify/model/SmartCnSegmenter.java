package appealhub.classify.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Lucene SmartCN words (HMM over a bigram dictionary), for the feature comparison only. */
public final class SmartCnSegmenter implements WordSegmenter {

    // Analyzer reuses token streams per thread, so one shared instance is thread-safe.
    private static final Analyzer ANALYZER = new SmartChineseAnalyzer(true);

    @Override
    public List<String> words(String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = ANALYZER.tokenStream("t", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
