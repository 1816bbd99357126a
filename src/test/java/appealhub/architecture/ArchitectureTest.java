package appealhub.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure the build keeps: no cycles between any two packages of the hub, and the
 * layers below. A change that breaks one fails here with the offending dependency named.
 * <pre>
 *   routes, connectors.*, ops, demo          the flow and its edges (may use everything below);
 *                                            demo (mock upstreams, feeders: src/demo/java) is not in the jar
 *   intake, dispatch, reply, feedback        flow steps, called by routes
 *   merge, classify, deadline, messaging     domain logic and the hub's sending
 *   store                                    SQL
 *   model, contract, organization            the appeal model, queue contract, org registry
 * </pre>
 */
class ArchitectureTest {
    private static JavaClasses hub;

    /**
     * The product's classes and the demo's, each from its own build output: the tests compile the
     * demo's sources again with themselves (test-classes, left out here).
     */
    @BeforeAll
    static void importHub() {
        Path build = Path.of(System.getProperty("hub.build.dir", "target"));
        hub = new ClassFileImporter().importPaths(build.resolve("classes"), build.resolve("demo-classes"));
    }

    @Test
    void theDemoIsImportedToo() {
        // else the rules below would pass on the demo for want of it
        assertThat(hub.containPackage("appealhub.demo")).as("appealhub.demo from target/demo-classes").isTrue();
        assertThat(hub.containPackage("appealhub.dispatch")).as("the product from target/classes").isTrue();
    }

    @Test
    void noPackageCycles() {
        slices().matching("appealhub.(**)").should().beFreeOfCycles().check(hub);
    }

    @Test
    void theModelTheContractAndTheRegistryDependOnNoOtherPartOfTheHub() {
        ArchRule rule = noClasses().that().resideInAnyPackage("appealhub.model..", "appealhub.contract..",
                        "appealhub.organization..")
                .should().dependOnClassesThat().resideInAnyPackage("appealhub.store..", "appealhub.intake..",
                        "appealhub.dispatch..", "appealhub.reply..", "appealhub.feedback..", "appealhub.merge..",
                        "appealhub.classify..", "appealhub.deadline..", "appealhub.messaging..", "appealhub.ops..",
                        "appealhub.routes..", "appealhub.connectors..", "appealhub.demo..", "appealhub.cluster..",
                        "appealhub.metrics..", "appealhub.config..");
        rule.check(hub);
    }

    @Test
    void storesHoldSqlOnlyAndCallNoFlowStep() {
        noClasses().that().resideInAPackage("appealhub.store..")
                .should().dependOnClassesThat().resideInAnyPackage("appealhub.intake..", "appealhub.dispatch..",
                        "appealhub.reply..", "appealhub.feedback..", "appealhub.merge..", "appealhub.classify..",
                        "appealhub.deadline..", "appealhub.messaging..", "appealhub.ops..", "appealhub.routes..",
                        "appealhub.connectors..", "appealhub.demo..")
                .check(hub);
    }

    @Test
    void domainLogicKnowsNothingOfRoutesConnectorsOrPages() {
        noClasses().that().resideInAnyPackage("appealhub.merge..", "appealhub.classify..", "appealhub.deadline..",
                        "appealhub.messaging..", "appealhub.intake..", "appealhub.dispatch..", "appealhub.reply..",
                        "appealhub.feedback..", "appealhub.store..")
                .should().dependOnClassesThat().resideInAnyPackage("appealhub.routes..", "appealhub.connectors..",
                        "appealhub.ops..", "appealhub.demo..")
                .check(hub);
    }

    @Test
    void nothingInTheProductDependsOnTheDemo() {
        noClasses().that().resideOutsideOfPackage("appealhub.demo..")
                .should().dependOnClassesThat().resideInAPackage("appealhub.demo..")
                .check(hub);
    }

    @Test
    void classificationDoesNotReachIntoPlacementOrMerging() {
        noClasses().that().resideInAPackage("appealhub.classify..")
                .should().dependOnClassesThat().resideInAnyPackage("appealhub.dispatch..", "appealhub.merge..",
                        "appealhub.store..", "appealhub.messaging..")
                .check(hub);
    }
}
