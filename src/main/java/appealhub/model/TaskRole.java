package appealhub.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which part an organisation plays in a case (column task.role, and the task message's "role"). */
public enum TaskRole {
    /** 主办: answers for the case. */
    LEAD("lead"),
    /** 协办: helps the lead. */
    CO("co");

    private final String wire;

    TaskRole(String wire) {
        this.wire = wire;
    }

    /** As stored and as written in task messages and case-file events. */
    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static TaskRole ofWire(String value) {
        for (TaskRole r : values()) if (r.wire.equals(value)) return r;
        throw new IllegalArgumentException("no task role " + value);
    }

    @Override
    public String toString() {
        return wire;
    }
}
