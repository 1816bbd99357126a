package appealhub.merge;

import appealhub.model.PhoneHasher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The near-duplicate detector without Spring or a database (used by {@link DuplicateDetector},
 * the evaluation and the scale benchmark).
 *
 * <p>Lookup: the new appeal's whole-text and prefix MinHash signatures are looked up in the
 * LSH bands (candidates: any indexed case sharing one band of either signature, so a
 * truncated copy meets the original's prefix signature); each candidate within the time
 * window is verified on the exact shingle sets: text similarity = max(Jaccard, containment)
 * where containment = |A∩B| / min(|A|,|B|) only counts when the smaller set has at least
 * {@code min-containment-shingles} shingles (truncation, without letting a ten-character
 * note be "contained" in every long complaint). The score adds the signals a person would
 * use (same phone, township, place, near pins, close in time) and subtracts the
 * contradicting ones (another township, pins far apart). A merge needs text similarity >=
 * {@code min-text-similarity} AND score >= {@code merge-threshold}; the best such case wins.
 *
 * <p>Thread-safe: lookups share a read lock (the short band walk itself is serialised on
 * the LSH scratch array; verification runs in parallel), index/remove take the write lock.
 */
public final class MergeEngine {
    private final MergeProperties props;
    private final TextShingler shingler = new TextShingler(2);
    private final MinHasher hasher;
    private final PhoneHasher phones;
    private final LshIndex lsh;
    private final Map<String, Integer> slotOf = new HashMap<>();
    /*
     * One indexed case per slot, column by column (issue 16: a year of data): no record, Instant
     * or phone HMAC text per case, no signatures (the LSH keeps its band keys), one String per
     * township. What a verification reads is put back together as an IndexedCase for the few
     * candidates a lookup verifies.
     */
    private String[] caseIds = new String[1024];
    private long[] seconds = new long[1024];          // receivedAt, Long.MIN_VALUE when unknown
    private int[] nanos = new int[1024];
    private String[] townships = new String[1024];
    private String[] places = new String[1024];
    private double[] lats = new double[1024];
    private double[] lons = new double[1024];
    private int[][] shingles = new int[1024][];
    private boolean[] hasPrefix = new boolean[1024];
    private long[] phoneShort = new long[1024];
    private final Map<String, String> townshipNames = new HashMap<>();
    private int slotCount;
    private final ArrayList<Integer> freeSlots = new ArrayList<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Figures of the last lookup on this thread (benchmark). */
    public record LookupStats(int postings, int candidates, int verified) {}

    private static final ThreadLocal<LookupStats> LAST = new ThreadLocal<>();

    public MergeEngine(MergeProperties props) {
        this.props = props;
        this.hasher = new MinHasher(props.bands() * props.rows());
        this.phones = new PhoneHasher(props.phoneKey());
        this.lsh = new LshIndex(props.bands(), props.rows());
    }

    public MergeProperties properties() {
        return props;
    }

    /** Hashes, shingles and signs a candidate; nothing is indexed yet. */
    public IndexedCase prepare(String caseId, Candidate c) {
        String title = TextShingler.normalize(c.title());
        String content = TextShingler.normalize(c.content());
        int[] shingles = shingler.shingles(title, content);
        int[] sig = hasher.signature(shingles);
        String base = content.isEmpty() ? title : content;
        int[] prefix = null;
        int cut = base.offsetByCodePoints(0, Math.min(props.prefixChars(), base.codePointCount(0, base.length())));
        if (cut < base.length()) {
            prefix = hasher.signature(shingler.shingles(base.substring(0, cut)));
        }
        String place = c.place() == null ? null : TextShingler.normalize(c.place());
        return new IndexedCase(caseId, c.receivedAt(), blankToNull(c.townshipCode()), blankToNull(place),
                c.lat() == null ? Double.NaN : c.lat(), c.lon() == null ? Double.NaN : c.lon(),
                phones.hash(c.phone()), shingles, sig, prefix);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** MinHash version persisted with signatures: rows of another version are re-signed. */
    public int minhashVersion() {
        return props.bands() * 1000 + props.rows();
    }

    /** Adds (or replaces) a prepared case; a null signature is recomputed from the shingles. */
    public void add(IndexedCase e) {
        if (e.signature() == null) {
            e = new IndexedCase(e.caseId(), e.receivedAt(), e.townshipCode(), e.place(), e.lat(), e.lon(),
                    e.phoneHmac(), e.shingles(), hasher.signature(e.shingles()), null);
        }
        lock.writeLock().lock();
        try {
            removeLocked(e.caseId());
            int slot = freeSlots.isEmpty() ? slotCount++ : freeSlots.remove(freeSlots.size() - 1);
            if (slot >= caseIds.length) {
                growSlots(caseIds.length * 2);
            }
            caseIds[slot] = e.caseId();
            seconds[slot] = e.receivedAt() == null ? Long.MIN_VALUE : e.receivedAt().getEpochSecond();
            nanos[slot] = e.receivedAt() == null ? 0 : e.receivedAt().getNano();
            townships[slot] = e.townshipCode() == null ? null : townshipNames.computeIfAbsent(e.townshipCode(), t -> t);
            places[slot] = e.place();
            lats[slot] = e.lat();
            lons[slot] = e.lon();
            shingles[slot] = e.shingles();
            hasPrefix[slot] = e.prefixSignature() != null;
            phoneShort[slot] = PhoneHasher.shortForm(e.phoneHmac());
            slotOf.put(e.caseId(), slot);
            lsh.add(slot, 0, e.signature());
            if (e.prefixSignature() != null) {
                lsh.add(slot, 1, e.prefixSignature());
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean remove(String caseId) {
        lock.writeLock().lock();
        try {
            return removeLocked(caseId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private boolean removeLocked(String caseId) {
        Integer slot = slotOf.remove(caseId);
        if (slot == null) {
            return false;
        }
        lsh.remove(slot, 0);
        if (hasPrefix[slot]) {
            lsh.remove(slot, 1);
        }
        caseIds[slot] = null;
        townships[slot] = null;
        places[slot] = null;
        shingles[slot] = null;
        hasPrefix[slot] = false;
        phoneShort[slot] = 0;
        freeSlots.add(slot);
        return true;
    }

    public int size() {
        lock.readLock().lock();
        try {
            return slotOf.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public boolean contains(String caseId) {
        lock.readLock().lock();
        try {
            return slotOf.containsKey(caseId);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Approximate bytes of the LSH table (not counting the per-case records). */
    public long lshBytes() {
        return lsh.bytes();
    }

    public Optional<MergeDecision> find(Candidate c) {
        return find(prepare(null, c));
    }

    /**
     * Best merge for a prepared appeal, if any passes the thresholds. The candidates are scored
     * without their reasons (issue 16: formatting them for every candidate above the text floor
     * was most of a lookup's CPU with a month of cases in the window); the winner is scored again
     * with them, the same figures.
     */
    public Optional<MergeDecision> find(IndexedCase q) {
        Scored best = null;
        for (Scored s : scoreAll(q, props.minTextSimilarity(), false)) {
            if (s.d().score() >= props.mergeThreshold() && (best == null || s.d().score() > best.d().score())) {
                best = s;
            }
        }
        return best == null ? Optional.empty()
                : Optional.of(scorePair(q, best.e(), best.samePhone(), props.minTextSimilarity(), true));
    }

    private record Scored(IndexedCase e, boolean samePhone, MergeDecision d) {}

    /**
     * Every LSH candidate within the time window whose text similarity is at least
     * minText, scored (not filtered by the merge threshold; for evaluation and sweeps).
     */
    public List<MergeDecision> score(IndexedCase q, double minText) {
        List<MergeDecision> out = new ArrayList<>(2);
        for (Scored s : scoreAll(q, minText, true)) {
            out.add(s.d());
        }
        return out;
    }

    private List<Scored> scoreAll(IndexedCase q, double minText, boolean withReasons) {
        List<Scored> out = new ArrayList<>(2);
        long phone = PhoneHasher.shortForm(q.phoneHmac());
        lock.readLock().lock();
        int candidates;
        int postings;
        int verified = 0;
        try {
            int[] found;
            synchronized (lsh) {                      // the scratch array is shared
                int n = lsh.lookup(q.signature(), 0);
                if (q.prefixSignature() != null) {
                    n = lsh.lookup(q.prefixSignature(), n);
                }
                postings = n;
                candidates = lsh.distinct(n);
                found = Arrays.copyOf(lsh.found(), candidates);
            }
            long window = Duration.ofDays(props.windowDays()).toSeconds();
            for (int slot : found) {
                String caseId = caseIds[slot];
                if (caseId == null || (q.caseId() != null && q.caseId().equals(caseId))) {
                    continue;
                }
                if (q.receivedAt() != null && seconds[slot] != Long.MIN_VALUE
                        && Math.abs(q.receivedAt().getEpochSecond() - seconds[slot]) > window) {
                    continue;
                }
                verified++;
                IndexedCase e = indexed(slot);
                boolean samePhone = phone != 0 && phone == phoneShort[slot];
                MergeDecision d = scorePair(q, e, samePhone, minText, withReasons);
                if (d != null) {
                    out.add(new Scored(e, samePhone, d));
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        LAST.set(new LookupStats(postings, candidates, verified));
        return out;
    }

    /** Slot's case as a verification reads it (no signatures, no phone HMAC: compared through phoneShort). */
    private IndexedCase indexed(int slot) {
        return new IndexedCase(caseIds[slot], seconds[slot] == Long.MIN_VALUE ? null : Instant.ofEpochSecond(seconds[slot], nanos[slot]),
                townships[slot], places[slot], lats[slot], lons[slot], null, shingles[slot], null, null);
    }

    private void growSlots(int n) {
        caseIds = Arrays.copyOf(caseIds, n);
        seconds = Arrays.copyOf(seconds, n);
        nanos = Arrays.copyOf(nanos, n);
        townships = Arrays.copyOf(townships, n);
        places = Arrays.copyOf(places, n);
        lats = Arrays.copyOf(lats, n);
        lons = Arrays.copyOf(lons, n);
        shingles = Arrays.copyOf(shingles, n);
        hasPrefix = Arrays.copyOf(hasPrefix, n);
        phoneShort = Arrays.copyOf(phoneShort, n);
    }

    public static LookupStats lastLookup() {
        return LAST.get();
    }

    /** One pair scored as a lookup would, with no text floor and no LSH (evaluation commands: bench/hot-issues.sh). */
    MergeDecision scorePair(IndexedCase q, IndexedCase e) {
        boolean samePhone = q.phoneHmac() != null && q.phoneHmac().equals(e.phoneHmac());
        return scorePair(q, e, samePhone, 0.0, true);
    }

    /** The pair's decision; without its reasons (an empty list) unless withReasons. */
    private MergeDecision scorePair(IndexedCase q, IndexedCase e, boolean samePhone, double minText, boolean withReasons) {
        int[] a = q.shingles();
        int[] b = e.shingles();
        if (a.length == 0 || b.length == 0) {
            return null;
        }
        int inter = TextShingler.intersection(a, b);
        double jaccard = inter / (double) (a.length + b.length - inter);
        int small = Math.min(a.length, b.length);
        double containment = small >= props.minContainmentShingles() ? inter / (double) small : 0.0;
        double text = Math.max(jaccard, containment);
        if (text < minText) {
            return null;
        }
        List<String> reasons = withReasons ? new ArrayList<>() : null;
        if (withReasons) {
            reasons.add(String.format(Locale.ROOT, "text similarity %.2f (jaccard %.2f, containment %.2f)",
                    text, jaccard, containment));
        }
        double score = text;
        boolean corroborated = samePhone;
        if (samePhone) {
            score += props.samePhoneBonus();
            if (reasons != null) reasons.add("same phone");
        }
        if (q.townshipCode() != null && e.townshipCode() != null) {
            if (q.townshipCode().equals(e.townshipCode())) {
                score += props.sameTownshipBonus();
                if (reasons != null) reasons.add("same township " + e.townshipCode());
            } else {
                score -= props.otherTownshipPenalty();
                if (reasons != null) reasons.add("other township (" + q.townshipCode() + " vs " + e.townshipCode() + ")");
            }
        }
        if (q.place() != null && e.place() != null && samePlace(q.place(), e.place())) {
            corroborated = true;
            score += props.samePlaceBonus();
            if (reasons != null) reasons.add("same place");
        }
        if (q.hasPin() && e.hasPin()) {
            double m = haversineMeters(q.lat(), q.lon(), e.lat(), e.lon());
            if (m <= props.nearPinMeters()) {
                corroborated = true;
                score += props.nearPinBonus() * (1 - m / props.nearPinMeters());
                if (reasons != null) reasons.add(String.format(Locale.ROOT, "pins %.0f m apart", m));
            } else if (m > props.farPinMeters()) {
                score -= props.farPinPenalty();
                if (reasons != null) reasons.add(String.format(Locale.ROOT, "pins %.1f km apart", m / 1000));
            }
        }
        if (q.receivedAt() != null && e.receivedAt() != null) {
            long hours = Math.abs(Duration.between(q.receivedAt(), e.receivedAt()).toHours());
            if (hours <= props.closeTimeHours()) {
                score += props.closeTimeBonus();
                if (reasons != null) reasons.add("received " + hours + " h apart");
            }
        }
        if (small < props.minShinglesAlone() && !corroborated) {
            // Too short to say it is the same problem: scored for operations, never merged.
            score = Math.min(score, props.mergeThreshold() - 0.01);
            if (reasons != null) reasons.add("short text (" + small + " bigrams) without the same phone, place or a near pin");
        }
        return new MergeDecision(e.caseId(), Math.round(score * 1000) / 1000.0, Math.round(text * 1000) / 1000.0,
                reasons == null ? List.of() : reasons);
    }

    /**
     * The same place: one normalised place text contains the other, and the shorter one names
     * a place, not a whole district or township ("冀州区", "冀州区冀州镇" say nothing).
     */
    static boolean samePlace(String a, String b) {
        String shorter = a.length() <= b.length() ? a : b;
        String longer = shorter == a ? b : a;
        return isSpecificPlace(shorter) && longer.contains(shorter);
    }

    private static final java.util.regex.Pattern AREA = java.util.regex.Pattern.compile(".*(区|县|市|镇|乡|街道)$");

    private static boolean isSpecificPlace(String place) {
        return place.codePointCount(0, place.length()) >= 3
                && !AREA.matcher(place).matches(); // compiled once: String.matches compiles per call
    }

    static double haversineMeters(double lat1, double lon1, double lat2, double lon2) {
        double r = 6_371_000;
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * r * Math.asin(Math.sqrt(h));
    }
}
