package appealhub.merge;

import java.time.Instant;

/**
 * What the duplicate detector looks at for one appeal. Build it from an {@code Appeal}:
 * {@code new Candidate(a.title(), a.content(), a.citizen().phone(), loc.townshipCode(),
 * loc.place() != null ? loc.place() : loc.address(), loc.lat(), loc.lon(), a.receivedAt())}.
 * Every field but {@code receivedAt} may be null. The phone is hashed (HMAC) before it is
 * stored or compared; it never leaves this record in clear, and {@link #toString()} prints
 * neither phone nor text.
 */
public record Candidate(String title, String content, String phone, String townshipCode,
                        String place, Double lat, Double lon, Instant receivedAt) {

    @Override
    public String toString() {
        return "Candidate[township=" + townshipCode + ", receivedAt=" + receivedAt
                + ", pin=" + (lat != null && lon != null) + ", phone=" + (phone != null && !phone.isBlank()) + "]";
    }
}
