package appealhub.metrics;

import io.micrometer.core.instrument.Tags;

/** One value of a domain gauge: how many, for one set of tags, at the last refresh. */
record TaggedCount(Tags tags, long value) {

    static TaggedCount of(long value, String... keyValues) {
        return new TaggedCount(Tags.of(keyValues), value);
    }
}
