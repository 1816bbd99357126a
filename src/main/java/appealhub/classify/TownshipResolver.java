package appealhub.classify;

import appealhub.organization.OrganizationRegistry;

import appealhub.model.Appeal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The township of an appeal, with its evidence:
 * <ol>
 *   <li>{@code channel}: the channel knew it exactly (grid code, a board's township level, a pin the
 *       connector already located);</li>
 *   <li>{@code address}: the address text against a gazetteer built from config/organizations.yaml:
 *       township names, names without 镇/乡, places with or without 村/社区 (it beats a pin: the
 *       centroids are approximate);</li>
 *   <li>{@code pin}: a map pin, nearest township centroid of config/townships-geo.yaml (a pin outside
 *       the district says nothing);</li>
 *   <li>{@code text}: the same gazetteer over title and content.</li>
 * </ol>
 * An address naming only the district or city gives no township: unknown, never guessed. The
 * district's own name (冀州区, old 冀州市) never reads as the township 冀州镇 unless 冀州镇 is written.
 */
public final class TownshipResolver {

    /** How a township was found: evidence is channel | pin | address | text | none. */
    public record Resolution(String code, String evidence, String detail) {
        public boolean known() {
            return code != null;
        }
    }

    /** One name of the gazetteer and the township it points to; level 0 = full township name … 3 = place without suffix. */
    private record Entry(String word, String code, int level, String kind) {}

    private final OrganizationRegistry registry;
    private final TownshipLocator locator;
    private final List<Entry> gazetteer = new ArrayList<>();
    private final List<String> districtNames = new ArrayList<>();

    public TownshipResolver(OrganizationRegistry registry, TownshipLocator locator) {
        this.registry = registry;
        this.locator = locator;
        String district = registry.district() == null ? "" : registry.district().name();
        String districtBare = district.replaceAll("[区县市]$", "");
        if (!district.isEmpty()) {
            districtNames.add(district);
            // the county-level city the district was until 2016, and the bare name with 市/县
            districtNames.add(districtBare + "市");
            districtNames.add(districtBare + "县");
        }
        for (OrganizationRegistry.Township t : registry.townships()) {
            gazetteer.add(new Entry(t.name(), t.code(), 0, "township name"));
            String bare = t.name().replaceAll("[镇乡]$", "");
            if (bare.length() >= 2 && !bare.equals(districtBare) && !bare.equals(t.name())) {
                gazetteer.add(new Entry(bare, t.code(), 1, "township name without 镇/乡"));
            }
        }
        for (OrganizationRegistry.Township t : registry.townships()) {
            for (String place : t.places() == null ? List.<String>of() : t.places()) {
                gazetteer.add(new Entry(place, t.code(), 2, "place"));
                String bare = place.replaceAll("(村|社区)$", "");
                if (bare.length() >= 2 && !bare.equals(place) && !bare.equals(districtBare)) {
                    gazetteer.add(new Entry(bare, t.code(), 3, "place without 村/社区"));
                }
            }
        }
    }

    public Resolution resolve(Appeal a) {
        Appeal.Location loc = a.location();
        if (loc != null && loc.townshipCode() != null && registry.isTownship(loc.townshipCode())) {
            String how = loc.gridCode() != null ? "grid code " + loc.gridCode()
                    : loc.lat() != null ? "pin located by the channel" : "named by the channel";
            return new Resolution(loc.townshipCode(), "channel", how);
        }
        String address = loc == null ? null : loc.address();
        Resolution byAddress = find(address, "address");
        Resolution byPin = null;
        String pinNote = null;
        if (loc != null && loc.lat() != null && loc.lon() != null && locator != null
                && TownshipLocator.validPin(loc.lat(), loc.lon())) {
            TownshipLocator.Nearest n = locator.nearest(loc.lat(), loc.lon());
            String km = String.format(Locale.ROOT, "%.1f km", n.distanceKm());
            if (n.inside()) {
                byPin = new Resolution(n.township().code(), "pin",
                        n.township().code() + " " + n.township().name() + ", " + km + " from its centroid");
            } else {
                pinNote = "pin outside the district (nearest " + n.township().code() + " at " + km + ")";
            }
        }
        // A written address beats the pin: the centroids are approximate (nearest centroid is unsure
        // near a border), and a channel's label of a pin (WeChat) is the platform's own geocoding.
        if (byAddress != null) {
            if (byPin != null && !byPin.code().equals(byAddress.code())) {
                return new Resolution(byAddress.code(), "address", byAddress.detail() + "; the pin's nearest centroid is "
                        + byPin.detail() + ", the written address wins");
            }
            return byAddress;
        }
        if (byPin != null) return byPin;
        Resolution r;
        r = find(nz(a.title()) + " " + nz(a.content()), "text");
        if (r != null) return r;
        String why = address != null && !address.isBlank() ? "address names no township (district or city only)" : "no township named";
        return new Resolution(null, "none", pinNote == null ? why : pinNote + "; " + why);
    }

    /** The township a piece of text names, or null (public for tests and operations' tools). */
    public String townshipIn(String text) {
        Resolution r = find(text, "text");
        return r == null ? null : r.code();
    }

    private Resolution find(String text, String evidence) {
        if (text == null || text.isBlank()) return null;
        String t = text.replaceAll("\\s+", "");
        // The district's own name (冀州区, 冀州市) must not read as the township 冀州(镇).
        for (String d : districtNames) t = t.replace(d, "|");
        Entry best = null;
        int bestAt = Integer.MAX_VALUE;
        for (Entry e : gazetteer) {
            int at = t.indexOf(e.word());
            if (at < 0) continue;
            // the most specific level first (a township's full name), then the earliest mention
            if (best == null || e.level() < best.level() || (e.level() == best.level() && at < bestAt)) {
                best = e;
                bestAt = at;
            }
        }
        if (best == null) return null;
        return new Resolution(best.code(), evidence, "“" + best.word() + "” (" + best.kind() + ")");
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
