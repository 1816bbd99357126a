package appealhub.broker;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerPlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * Stamps the user the broker validated on every AMQP message, as {@code populate-validated-user}
 * does for CORE and STOMP. Artemis leaves AMQP messages as their sender made them ("populate-validated-user
 * + AMQP is not supported", ARTEMIS-1092): without this, a reply sent over AMQP reaches the hub
 * with no sender (JMSXUserID), or with the {@code _AMQ_VALIDATED_USER} the client wrote into it
 * itself, and any department could answer another's task. The value a client put there is
 * overwritten, or removed when nobody was validated.
 * <p>
 * Depends on Artemis alone: the same class runs in the embedded broker (BrokerSecurityConfig) and,
 * as a jar in the instance's lib/, in the standalone brokers of deploy/artemis (broker.xml,
 * {@code <broker-plugins>}).
 */
public class ValidatedUserPlugin implements ActiveMQServerPlugin { // the whole interface: broker.xml's <broker-plugin> wants it
    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
                           boolean noAutoCreateQueue) throws ActiveMQException {
        if (message instanceof ICoreMessage) return; // CORE, STOMP: the broker's own populate-validated-user
        String user = session.getValidatedUser();
        try {
            message.messageChanged();
            if (user == null) {
                message.removeProperty(Message.HDR_VALIDATED_USER);
            } else {
                message.putStringProperty(Message.HDR_VALIDATED_USER, SimpleString.of(user));
            }
            message.reencode(); // AMQP keeps its encoded form: the change must be written into it
        } catch (RuntimeException e) {
            // a message whose sender cannot be vouched for is not let through
            throw new ActiveMQSecurityException("cannot stamp the validated user on this message: " + e);
        }
    }
}
