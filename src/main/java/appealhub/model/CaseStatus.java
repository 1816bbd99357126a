package appealhub.model;

/** Where a case is in the hub's flow (column hub_case.status). */
public enum CaseStatus {
    /** Stored by intake, waiting for placement (its hand-over to hub.intake may still be in flight). */
    RECEIVED,
    /** Taken by one placement; never seen committed outside its transaction. */
    PLACING,
    /** Waiting for an operator in manual triage. */
    TRIAGE,
    /** Its only appeal joined another case (merged_into). */
    MERGED,
    /** Tasks are on departments' queues. */
    DISPATCHED,
    /** The lead accepted its task. */
    ACCEPTED,
    /** The lead resolved it; the answer is owed or sent upstream. */
    RESOLVED,
    /** Sent back to the channel it came from (not this district's matter). */
    RETURNED_UPSTREAM;

    /** Still being worked on: the hub owes the citizen an answer. */
    public boolean open() {
        return this != RESOLVED && this != MERGED && this != RETURNED_UPSTREAM;
    }
}
