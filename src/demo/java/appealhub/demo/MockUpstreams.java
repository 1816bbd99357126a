package appealhub.demo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.SingleRootFileSource;
import com.github.tomakehurst.wiremock.common.filemaker.FilenameMaker;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.standalone.JsonFileMappingsSource;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Default run only (hub.demo.mocks=true): one WireMock on hub.demo.mock-port plays every
 * upstream platform, with the mappings of each channel's folder mocks/<channel>/mappings
 * (their URL paths do not overlap) and the WireMock extensions the connectors contribute
 * as beans (e.g. a generator of fresh orders). Started before the routes that call it.
 */
@Component
@ConditionalOnProperty(prefix = "hub.demo", name = "mocks", havingValue = "true")
public class MockUpstreams implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(MockUpstreams.class);
    private static final File MOCKS = new File("mocks");

    private final WireMockServer server;

    public MockUpstreams(@Value("${hub.demo.mock-port}") int port, List<Extension> extensions) {
        this.server = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1")
                .port(port)
                .usingFilesUnderDirectory(MOCKS.getPath())
                .maxRequestJournalEntries(2000) // the default run goes on for days: keep the journal bounded
                .extensions(extensions.toArray(Extension[]::new)));
    }

    @Override
    public void start() {
        server.start();
        File[] channels = MOCKS.listFiles(f -> new File(f, "mappings").isDirectory());
        for (File channel : channels == null ? new File[0] : channels) {
            server.loadMappingsUsing(new JsonFileMappingsSource(
                    new SingleRootFileSource(new File(channel, "mappings")), new FilenameMaker()));
        }
        log.info("mock upstreams (WireMock) on http://127.0.0.1:{} playing {}", server.port(),
                channels == null ? List.of() : Arrays.stream(channels).map(File::getName).sorted().toList());
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Before Camel's routes start: mocks up first, down last. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }
}
