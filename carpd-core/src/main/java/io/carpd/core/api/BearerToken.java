package io.carpd.core.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The TCP listener's shared secret. Candidates are compared by SHA-256 digest with
 * {@link MessageDigest#isEqual}, so the time taken reveals neither the content nor the length.
 */
final class BearerToken {

    private final byte[] digest;

    BearerToken(String token) {
        this.digest = sha256(token);
    }

    /** Checks an {@code Authorization} header value: {@code Bearer <token>}. */
    boolean matches(String authorization) {
        String prefix = "Bearer ";
        if (authorization == null || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) return false;
        return MessageDigest.isEqual(digest, sha256(authorization.substring(prefix.length()).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
