package appealhub.demo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.File;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Default run only (hub.demo.mocks=true): WireMock plays the upstream platforms from the
 * mappings in mocks/, on hub.demo.mock-port. Started before the hub's routes poll it.
 */
@Component
@ConditionalOnProperty(prefix = "hub.demo", name = "mocks", havingValue = "true")
public class MockUpstreams implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(MockUpstreams.class);

    private final WireMockServer server;

    public MockUpstreams(@Value("${hub.demo.mock-port}") int port) throws IOException {
        this.server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .port(port)
                .usingFilesUnderDirectory("mocks/hotline12345")
                .maxRequestJournalEntries(2000) // the default run goes on for days: keep the journal bounded
                .extensions(new PendingOrdersGenerator(new File("mocks/hotline12345/sample-orders.json"))));
    }

    @Override
    public void start() {
        server.start();
        log.info("mock upstreams (WireMock) playing 12345 on http://127.0.0.1:{}", server.port());
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Before Camel's routes start (Camel runs at phase Integer.MAX_VALUE - ...): mocks up first, down last. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }
}
