package appealhub.model;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.intake.IntakeGuard;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/** The one check of a normalized appeal against the store's column limits, and the integrity reason's wording. */
class AppealLimitsTest {

    @Test
    void aFieldOverItsColumnIsNamedWithItsLimitAndTheContentIsStoredWhole() {
        assertThat(AppealLimits.check(appeal("GD1", "t", "x".repeat(100_000), "冀州区"))).isEmpty();
        assertThat(AppealLimits.check(appeal("GD1", "t".repeat(512), "c", "a".repeat(256)))).isEmpty();

        assertThat(AppealLimits.check(appeal("GD1", "t".repeat(600), "c", null)))
                .hasValueSatisfying(v -> assertThat(v.message()).isEqualTo("title longer than 512 characters (600)"));
        assertThat(AppealLimits.check(appeal("GD1", "t", "c", "a".repeat(257))))
                .hasValueSatisfying(v -> assertThat(v.message("sqdz")).isEqualTo("sqdz longer than 256 characters (257)"));
        assertThat(AppealLimits.check(appeal("G".repeat(129), "t", "c", null)))
                .hasValueSatisfying(v -> assertThat(v.field()).isEqualTo("sourceItemId"));
    }

    @Test
    void anIntegrityReasonLeavesOutTheSqlAndTheValues() {
        var e = new DataIntegrityViolationException("x", new SQLException(
                "Value too long for column \"CHARACTER VARYING(512)\": \"'张某 13800000000 ...' (600)\"; SQL statement:\n"
                        + "insert into appeal (title) values (?) [22001-224]"));
        assertThat(IntakeGuard.reason(e)).isEqualTo(
                "cannot be stored: Value too long for column \"CHARACTER VARYING(512)\": \"'…' (600)\"");
    }

    private static Appeal appeal(String id, String title, String content, String address) {
        Instant now = Instant.now();
        return new Appeal(null, null, List.of(new Appeal.Source("hotline12345", id, now, 1L)), null, title, content, now,
                now, address == null ? null : new Appeal.Location(address, null, null, null, null, null, null),
                null, null, false, List.of(), null);
    }
}
