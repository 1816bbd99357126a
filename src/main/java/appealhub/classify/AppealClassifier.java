package appealhub.classify;

import appealhub.model.Appeal;

/** Decides category, topic, lead and co organisations, township, urgency and complexity. */
public interface AppealClassifier {
    Placement classify(Appeal appeal);
}
