package appealhub.contract;

import java.util.List;

/**
 * A channel's own parking queues, contributed as a bean: operations' dead-letter pages list and
 * replay them with the hub's own (no central list to edit when a channel is added).
 */
public interface ParkingQueues {
    List<ParkingQueue> parkingQueues();
}
