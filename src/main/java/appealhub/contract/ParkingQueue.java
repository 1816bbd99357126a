package appealhub.contract;

/**
 * A queue where messages wait for operations (a dead-letter queue, or the broker's DLQ.* of a
 * queue), the queue a replay sends them back to, and what operations see it as.
 */
public record ParkingQueue(String name, String target, String label) {}
