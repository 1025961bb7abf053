package io.carpd.core.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha1Test {

    @Test
    void knownAnswerForAbc() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(digest(new Sha1().update(abc, 0, 3))).isEqualTo(Hex.bytes("a9993e364706816aba3e25717850c26c9cd0d89d"));
    }

    @Test
    void matchesMessageDigestOnRandomInputsFedInRandomPieces() throws Exception {
        Random random = new Random(42);
        Sha1 sha = new Sha1();
        for (int round = 0; round < 2_000; round++) {
            byte[] input = new byte[random.nextInt(300)];
            random.nextBytes(input);
            sha.reset();
            int pos = 0;
            while (pos < input.length) {
                if (random.nextInt(8) == 0) {
                    sha.update(input[pos++]);
                } else {
                    int n = Math.min(input.length - pos, random.nextInt(130));
                    sha.update(input, pos, n);
                    pos += n;
                }
            }
            assertThat(digest(sha)).as("length %d", input.length)
                    .isEqualTo(MessageDigest.getInstance("SHA-1").digest(input));
        }
    }

    @Test
    void copiedStateContinuesLikeTheOriginal() throws Exception {
        Random random = new Random(7);
        byte[] prefix = new byte[64 + 19];
        byte[] suffix = new byte[8];
        random.nextBytes(prefix);
        random.nextBytes(suffix);
        Sha1 precomputed = new Sha1().update(prefix, 0, prefix.length);
        Sha1 work = new Sha1().update(new byte[100], 0, 100);   // dirty state must be fully replaced
        work.copyFrom(precomputed);
        work.update(suffix, 0, suffix.length);

        MessageDigest md = MessageDigest.getInstance("SHA-1");
        md.update(prefix);
        md.update(suffix);
        assertThat(digest(work)).isEqualTo(md.digest());
        // and the source is untouched: it still yields the prefix digest
        assertThat(digest(precomputed)).isEqualTo(MessageDigest.getInstance("SHA-1").digest(prefix));
    }

    private static byte[] digest(Sha1 sha) {
        byte[] out = new byte[Sha1.DIGEST_LENGTH];
        sha.finish(out, 0);
        return out;
    }
}
