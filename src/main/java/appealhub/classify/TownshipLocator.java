package appealhub.classify;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Map pin → township: the township whose centroid is nearest to the pin, unless even the
 * nearest is farther than a maximum distance (the pin is then outside the district and the
 * township unknown). The table is config/townships-geo.yaml: approximate centroids, to be
 * replaced by surveyed boundaries. No Spring in here, so any channel with a pin (mini-program,
 * WeChat location messages, grid reports) and the placement classifier load and reuse it.
 */
public class TownshipLocator {
    private static final double EARTH_RADIUS_KM = 6371.0088;

    /** One township's centre, WGS-84 degrees. */
    public record Centroid(String code, String name, double lat, double lon) {}

    /** The nearest centroid to a pin and how far it is; {@code inside} when within the maximum distance. */
    public record Nearest(Centroid township, double distanceKm, boolean inside) {}

    /** config/townships-geo.yaml as a record. */
    public record Table(@JsonProperty("max-distance-km") double maxDistanceKm, List<Centroid> townships) {}

    private final List<Centroid> townships;
    private final double maxDistanceKm;

    public TownshipLocator(List<Centroid> townships, double maxDistanceKm) {
        if (townships == null || townships.isEmpty()) throw new IllegalArgumentException("no township centroids");
        if (!(maxDistanceKm > 0)) throw new IllegalArgumentException("max-distance-km must be positive");
        for (Centroid c : townships) {
            if (c.code() == null || !validPin(c.lat(), c.lon())) {
                throw new IllegalArgumentException("bad township centroid " + c);
            }
        }
        this.townships = List.copyOf(townships);
        this.maxDistanceKm = maxDistanceKm;
    }

    /** Reads a table like config/townships-geo.yaml. */
    public static TownshipLocator load(Path yamlFile) {
        Table table = readTable(yamlFile);
        return new TownshipLocator(table.townships(), table.maxDistanceKm());
    }

    /** The table of a file like config/townships-geo.yaml. */
    public static Table readTable(Path yamlFile) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try {
            return yaml.readValue(Files.readAllBytes(yamlFile), Table.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read township centroids from " + yamlFile + ": " + e.getMessage(), e);
        }
    }

    /** The township of a pin, or empty when the pin is outside the district (farther than the maximum from every centroid). */
    public Optional<Centroid> locate(double lat, double lon) {
        Nearest n = nearest(lat, lon);
        return n.inside() ? Optional.of(n.township()) : Optional.empty();
    }

    public Nearest nearest(double lat, double lon) {
        if (!validPin(lat, lon)) throw new IllegalArgumentException("not a pin: " + lat + ", " + lon);
        Centroid best = townships.stream()
                .min(Comparator.comparingDouble(c -> distanceKm(lat, lon, c.lat(), c.lon())))
                .orElseThrow();
        double d = distanceKm(lat, lon, best.lat(), best.lon());
        return new Nearest(best, d, d <= maxDistanceKm);
    }

    public Optional<Centroid> centroid(String code) {
        return townships.stream().filter(c -> c.code().equals(code)).findFirst();
    }

    public List<Centroid> townships() {
        return townships;
    }

    public double maxDistanceKm() {
        return maxDistanceKm;
    }

    public static boolean validPin(double lat, double lon) {
        return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
    }

    /** Great-circle (haversine) distance in kilometres. */
    public static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1), p2 = Math.toRadians(lat2);
        double dp = p2 - p1, dl = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
