package appealhub.routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * For the routes that consume the broker's queues in a transaction (placement, task replies, grid
 * reports) and the timers that work the database (feedback, recovery, deadlines): when the
 * database is unreachable, the message is not the problem. Such a failure is retried in the route,
 * with back-off and without end, holding the message unacknowledged, instead of letting the broker
 * burn its delivery attempts and park a good message on a dead-letter queue (and instead of a
 * stack trace per timer tick). A bad message (any other exception) still goes the broker's way:
 * redelivered, then dead-lettered. Push endpoints do not use it: they answer an error at once and
 * the upstream sends again.
 */
@Component
public class InfrastructureFaults extends RouteConfigurationBuilder {
    /** The id a consuming route names with routeConfigurationId. */
    public static final String ID = "wait-for-database";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(DataAccessResourceFailureException.class, TransientDataAccessException.class,
                        RecoverableDataAccessException.class, CannotCreateTransactionException.class)
                .maximumRedeliveries(-1)
                .redeliveryDelay(1000).useExponentialBackOff().backOffMultiplier(2).maximumRedeliveryDelay(30_000)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false).logRetryStackTrace(false)
                .handled(false);
    }
}
