package appealhub.model;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Phones are compared as HMAC-SHA256(key, normalised phone), never stored in clear.
 *
 * <p>Why a keyed HMAC and not a salted hash: a phone number has little entropy (China's
 * mobile numbers are about 10^9 values), so a plain or salted SHA-256 found in a copied
 * database is reversed by trying every number in minutes; a per-row random salt would stop
 * that but would also make two appeals' phones impossible to compare without the clear
 * number. A keyed HMAC keeps equality comparable (same phone, same value) while reversal
 * needs the key, which lives in configuration/secrets (HUB_MERGE_PHONE_KEY), not in the
 * database. Changing the key makes old values unmatchable (phones then stop contributing
 * to merges until cases are re-indexed), never wrong.
 */
public final class PhoneHasher {
    private final ThreadLocal<Mac> mac;

    public PhoneHasher(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("hub.merge.phone-key must be set");
        }
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(k, "HmacSHA256"));
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    /** Digits only, without a +86 / 0086 country prefix; null when there is no usable number. */
    public static String normalize(String phone) {
        if (phone == null) {
            return null;
        }
        String d = phone.replaceAll("[^0-9]", "");
        if (d.startsWith("0086")) {
            d = d.substring(4);
        } else if (d.startsWith("86") && d.length() == 13) {
            d = d.substring(2);
        }
        return d.length() >= 5 ? d : null;
    }

    /** Hex HMAC of the phone, or null when there is none. */
    public String hash(String phone) {
        String n = normalize(phone);
        if (n == null) {
            return null;
        }
        return HexFormat.of().formatHex(mac.get().doFinal(n.getBytes(StandardCharsets.UTF_8)));
    }

    /** The first 8 bytes of a hex HMAC, for in-memory comparison (0 = no phone). */
    public static long shortForm(String hex) {
        if (hex == null) {
            return 0L;
        }
        long v = HexFormat.fromHexDigitsToLong(hex.substring(0, 16));
        return v == 0L ? 1L : v;
    }
}
