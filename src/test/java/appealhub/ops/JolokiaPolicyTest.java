package appealhub.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The operators' restrictor (JolokiaReadOnlyFilter#operatorMayExec): documented operations only. */
class JolokiaPolicyTest {
    static final String ROUTE = "org.apache.camel:context=appeal-hub,type=routes,name=\"dispatch\"";
    static final String QUEUE = "org.apache.activemq.artemis:broker=\"hub\",component=addresses,address=\"hub.dead.replies\","
            + "subcomponent=queues,routing-type=\"anycast\",queue=\"hub.dead.replies\"";
    static final String BROKER = "org.apache.activemq.artemis:broker=\"hub\"";

    @Test
    void routesStopAndStartQueuesPurgeAndRetry() {
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(ROUTE, "stop()")).isTrue();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(ROUTE, "start")).isTrue();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(QUEUE, "removeAllMessages()")).isTrue();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(QUEUE, "retryMessages()")).isTrue();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(QUEUE, "retryMessage(long)")).isTrue();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(QUEUE, "browse(int,int,java.lang.String)")).isTrue();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(ROUTE, "dumpRouteAsXml()")).isTrue();
    }

    @Test
    void nothingElse() {
        assertThat(JolokiaReadOnlyFilter.operatorMayExec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec("com.sun.management:type=DiagnosticCommand", "gcClassHistogram")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec("java.lang:type=Memory", "gc()")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(BROKER, "addSecuritySettings")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(BROKER, "removeSecuritySettings(java.lang.String)")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(BROKER, "addUser")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(BROKER, "destroyQueue(java.lang.String)")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(QUEUE, "moveMessages(java.lang.String,java.lang.String)")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(ROUTE, "remove()")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec("org.apache.camel:context=appeal-hub,type=context,name=\"appeal-hub\"",
                "stop()")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec("org.apache.camel:type=routes,*", "stop()")).as("no patterns").isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec("jolokia:type=Config", "debugInfo")).isFalse();
        assertThat(JolokiaReadOnlyFilter.operatorMayExec(ROUTE, null)).isFalse();
    }
}
