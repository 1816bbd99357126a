package appealhub.connectors.hotline12345;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The platform's push signature: lowercase hex HMAC-SHA256, key appSecret, over
 * timestamp + "\n" + nonce + "\n" + body (the body's exact bytes).
 */
public final class Hotline12345Signature {
    private Hotline12345Signature() {}

    public static String sign(String appSecret, String timestamp, String nonce, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** Constant-time comparison; a missing header never matches. */
    public static boolean verify(String appSecret, String timestamp, String nonce, byte[] body, String signature) {
        if (timestamp == null || nonce == null || signature == null) return false;
        byte[] expected = sign(appSecret, timestamp, nonce, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.trim().toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }
}
