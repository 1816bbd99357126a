package appealhub.routes;

import appealhub.contract.Queues;
import appealhub.contract.Unprocessable;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The error handling of every route that consumes the broker's queues in a transaction (placement,
 * task replies, grid reports) or works the database on a timer (feedback, recovery, deadlines); a
 * route takes it with routeConfigurationId(ErrorHandling.ID). Three kinds of failure:
 * <ul>
 * <li><b>The database is unreachable</b>: the message is not the problem. Retried in the route, with
 * back-off and without end, holding the message unacknowledged, instead of letting the broker burn
 * its delivery attempts and park a good message (and instead of a stack trace per timer tick).</li>
 * <li><b>The message is {@link Unprocessable}</b> (malformed, unknown task or case, not the sender's):
 * the dead-letter channel, route "dead-letter", keeps the original message on the queue the failure
 * names, with the reason as property hubDeadReason, and the message is acknowledged.</li>
 * <li><b>Anything else</b> goes the broker's way: the transaction rolls back, the broker redelivers
 * with back-off and parks the message on its DLQ after the last attempt.</li>
 * </ul>
 * Push endpoints do not use it: they answer an error at once in their channel's format and the
 * upstream sends again.
 */
@org.springframework.stereotype.Component
public class ErrorHandling extends RouteConfigurationBuilder {
    /** The id a consuming route names with routeConfigurationId. */
    public static final String ID = "hub-errors";
    /** The dead-letter channel. */
    public static final String DEAD_LETTER = "direct:dead-letter";
    /** Exchange property: the queue the dead-letter channel keeps the message on. */
    public static final String DEAD_LETTER_QUEUE = "hubDeadLetterQueue";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(DataAccessResourceFailureException.class, TransientDataAccessException.class,
                        RecoverableDataAccessException.class, CannotCreateTransactionException.class)
                    .maximumRedeliveries(-1)
                    .redeliveryDelay(1000).useExponentialBackOff().backOffMultiplier(2).maximumRedeliveryDelay(30_000)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .logStackTrace(false).logRetryStackTrace(false)
                    .handled(false)
                .end()
                .onException(Unprocessable.class)
                    .handled(true)
                    .useOriginalMessage()
                    .setHeader(Queues.DEAD_REASON, simple("${exception.message}"))
                    .setProperty(DEAD_LETTER_QUEUE, simple("${exception.deadLetterQueue}"))
                    .to(DEAD_LETTER)
                .end();
    }
}
