package appealhub.connectors.grid;

import appealhub.config.BrokerConfig;
import appealhub.contract.ParkingQueue;
import appealhub.contract.ParkingQueues;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The grid channel's parking queues, for operations' dead-letter pages: reports the channel could
 * not take in (GridDeadLetters), and what the broker gave up redelivering from its inbound queue.
 * Both are replayed onto the inbound queue.
 */
@Component
@ConditionalOnProperty(prefix = "hub.channels.grid", name = "enabled", havingValue = "true")
public class GridParkingQueues implements ParkingQueues {
    private final GridProperties props;

    public GridParkingQueues(GridProperties props) {
        this.props = props;
    }

    @Override
    public List<ParkingQueue> parkingQueues() {
        return List.of(
                new ParkingQueue(props.deadLetterQueue(), props.inboundQueue(), "网格上报无法接收"),
                new ParkingQueue(BrokerConfig.deadLetterQueue(props.inboundQueue()), props.inboundQueue(),
                        "网格上报队列：多次重试失败"));
    }
}
