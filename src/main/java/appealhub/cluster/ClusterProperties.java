package appealhub.cluster;

import java.net.InetAddress;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * hub.cluster in config/application.yml (docs/cluster.md). nodeId: this instance's name in
 * cluster_lease; by default the host name and a random suffix, so two instances on one host differ.
 */
@ConfigurationProperties(prefix = "hub.cluster")
public record ClusterProperties(@DefaultValue("true") boolean enabled, @DefaultValue("15") int leaseSeconds, String nodeId) {

    public ClusterProperties {
        if (leaseSeconds < 3) throw new IllegalArgumentException("hub.cluster.lease-seconds must be at least 3, was " + leaseSeconds);
        if (nodeId == null || nodeId.isBlank()) nodeId = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        if (nodeId.length() > 128) throw new IllegalArgumentException("hub.cluster.node-id longer than 128 characters");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "hub";
        }
    }
}
