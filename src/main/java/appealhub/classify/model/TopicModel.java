package appealhub.classify.model;

import java.util.List;

/**
 * A learned model of appeal text: which first-level topic class (the labels of the
 * training data, e.g. 城乡建设, 劳动和社会保障) an appeal's title and content belong to.
 * Implemented by the trained model loaded at start; used by the classifier that places
 * appeals (which adds rules, township resolution and triage on top).
 */
public interface TopicModel {

    /** Classes ranked by probability, highest first; probabilities sum to about 1. */
    List<Scored> predict(String title, String content);

    /** The classes the model knows. */
    List<String> labels();

    /** Identifies the model file in use (version, training data, date), for the case file. */
    String version();

    record Scored(String label, double probability) {}
}
