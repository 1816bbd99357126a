package appealhub.classify;

import appealhub.organization.OrganizationRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Map pin → township over config/townships-geo.yaml. */
class TownshipLocatorTest {
    final TownshipLocator locator = TownshipLocator.load(Path.of("config/townships-geo.yaml"));

    @Test
    void theTableHasACentroidForEveryTownshipOfTheRegistryAndNoOther() throws Exception {
        var registry = new OrganizationRegistry("config/organizations.yaml");
        assertThat(locator.townships()).extracting(TownshipLocator.Centroid::code)
                .containsExactlyInAnyOrderElementsOf(registry.townships().stream().map(OrganizationRegistry.Township::code).toList());
        for (TownshipLocator.Centroid c : locator.townships()) {
            assertThat(registry.township(c.code()).orElseThrow().name()).isEqualTo(c.name());
            // around the district centre (37.55 N, 115.58 E): within 30 km
            assertThat(TownshipLocator.distanceKm(37.55, 115.58, c.lat(), c.lon())).isLessThan(30);
        }
        assertThat(locator.maxDistanceKm()).isBetween(5.0, 20.0);
    }

    @Test
    void everyCentroidAndAPinNearItLandInItsTownship() {
        for (TownshipLocator.Centroid c : locator.townships()) {
            assertThat(locator.locate(c.lat(), c.lon())).contains(c);
            assertThat(locator.locate(c.lat() + 0.004, c.lon() - 0.004)).as("about 500 m off " + c.name()).contains(c);
        }
    }

    @Test
    void theNearestCentroidWins() {
        // A pin between 冀州镇 (37.555, 115.580) and 小寨乡 (37.615, 115.660), nearer 小寨乡.
        assertThat(locator.locate(37.600, 115.640)).map(TownshipLocator.Centroid::code).contains("T10");
        assertThat(locator.locate(37.570, 115.600)).map(TownshipLocator.Centroid::code).contains("T01");
    }

    @Test
    void aPinFartherThanTheMaximumFromEveryCentroidIsOutsideTheDistrict() {
        assertThat(locator.locate(39.9042, 116.3974)).as("Beijing").isEmpty();
        assertThat(locator.locate(0, 0)).as("a zero pin").isEmpty();
        var nearest = locator.nearest(39.9042, 116.3974);
        assertThat(nearest.inside()).isFalse();
        assertThat(nearest.distanceKm()).isGreaterThan(200);
        // Just beyond the maximum north of the northernmost centroid, just within it.
        var north = locator.townships().stream().max(java.util.Comparator.comparingDouble(TownshipLocator.Centroid::lat)).orElseThrow();
        double kmPerDegree = TownshipLocator.distanceKm(0, 0, 1, 0);
        double beyond = north.lat() + (locator.maxDistanceKm() + 0.5) / kmPerDegree;
        double within = north.lat() + (locator.maxDistanceKm() - 0.5) / kmPerDegree;
        assertThat(locator.locate(beyond, north.lon())).isEmpty();
        assertThat(locator.locate(within, north.lon())).contains(north);
    }

    @Test
    void distancesAreGreatCircleKilometres() {
        assertThat(TownshipLocator.distanceKm(0, 0, 1, 0)).isCloseTo(111.2, within(0.2));
        assertThat(TownshipLocator.distanceKm(37.55, 115.58, 37.55, 115.58)).isZero();
        // 衡水 to 北京, about 250 km
        assertThat(TownshipLocator.distanceKm(37.74, 115.67, 39.90, 116.40)).isBetween(240.0, 255.0);
    }

    @Test
    void aBadPinOrTableIsRefused() {
        assertThatThrownBy(() -> locator.locate(91, 115)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TownshipLocator(List.of(), 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TownshipLocator(List.of(new TownshipLocator.Centroid("T01", "x", 37, 115)), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TownshipLocator.load(Path.of("config/no-such-file.yaml")))
                .isInstanceOf(IllegalStateException.class);
    }
}
