package appealhub.merge;

import java.time.Instant;

/**
 * What the index keeps (in memory and in table merge_index) for one case: no clear text
 * and no clear phone.
 *
 * @param shingles    sorted distinct shingle ids of title + content (exact verification)
 * @param signature   MinHash of {@code shingles}
 * @param prefixSignature MinHash of the first {@code prefix-chars} of the content, or null
 *                    when the content is that short (then it equals {@code signature})
 * @param phoneHmac   hex HMAC-SHA256 of the phone, or null
 * @param place       normalised place text, or null
 * @param lat         NaN when unknown
 */
public record IndexedCase(String caseId, Instant receivedAt, String townshipCode, String place,
                          double lat, double lon, String phoneHmac, int[] shingles, int[] signature,
                          int[] prefixSignature) {

    boolean hasPin() {
        return !Double.isNaN(lat) && !Double.isNaN(lon);
    }

    @Override
    public String toString() {
        return "IndexedCase[" + caseId + ", " + receivedAt + ", " + townshipCode + ", shingles=" + shingles.length + "]";
    }
}
