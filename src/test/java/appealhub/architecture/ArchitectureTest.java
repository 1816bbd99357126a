package appealhub.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure the build keeps: no cycles between any two packages of the hub, and the
 * layers below. A change that breaks one fails here with the offending dependency named.
 * <pre>
 *   routes, connectors.*, ops, demo          the flow and its edges (may use everything below)
 *   intake, dispatch, reply, feedback        flow steps, called by routes
 *   merge, classify, deadline, messaging     domain logic and the hub's sending
 *   store                                    SQL
 *   model, contract, organization            the appeal model, queue contract, org registry
 * </pre>
 */
class ArchitectureTest {
    private static JavaClasses hub;

    @BeforeAll
    static void importHub() {
        hub = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("appealhub");
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
