package appealhub.hotline12345;

import static org.assertj.core.api.Assertions.assertThat;

import appealhub.connectors.hotline12345.Hotline12345Signature;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The push signature pinned to a vector computed outside Java (openssl), so signer and verifier cannot drift together. */
class Hotline12345SignatureTest {
    // printf '%s\n%s\n%s' 1744158662 abc123 '<body>' | openssl dgst -sha256 -hmac demo-secret-change-me -hex
    static final String BODY = "{\"gdbh\":\"GD20250409000123\",\"sqnr\":\"路灯不亮\"}";
    static final String EXPECTED = "9701733fb155fe6d350030a0e8ad90a4d90f826dc9f3741c19fbad9cd8ad6f2b";

    @Test
    void matchesTheSpecVector() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(Hotline12345Signature.sign("demo-secret-change-me", "1744158662", "abc123", body)).isEqualTo(EXPECTED);
        assertThat(Hotline12345Signature.verify("demo-secret-change-me", "1744158662", "abc123", body, EXPECTED.toUpperCase())).isTrue();
    }

    @Test
    void anyChangeBreaksIt() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertThat(Hotline12345Signature.verify("demo-secret-change-me", "1744158663", "abc123", body, EXPECTED)).isFalse();
        assertThat(Hotline12345Signature.verify("demo-secret-change-me", "1744158662", "abc124", body, EXPECTED)).isFalse();
        assertThat(Hotline12345Signature.verify("other", "1744158662", "abc123", body, EXPECTED)).isFalse();
        assertThat(Hotline12345Signature.verify("demo-secret-change-me", "1744158662", "abc123",
                (BODY + " ").getBytes(StandardCharsets.UTF_8), EXPECTED)).isFalse();
        assertThat(Hotline12345Signature.verify("demo-secret-change-me", null, "abc123", body, EXPECTED)).isFalse();
    }
}
