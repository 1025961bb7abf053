package io.carpd.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** HMAC construction of spec carp.md §2, against the §2.7 vectors and javax.crypto. */
class CarpAuthTest {

    private static final long VECTOR_COUNTER = 0x0123456789abcdefL;

    @Test
    void v1SingleAddress() throws Exception {
        CarpAuth auth = CarpAuth.of(ascii("secret"), 1, List.of(ip("192.168.1.10")));
        assertThat(sign(auth, VECTOR_COUNTER)).isEqualTo(Hex.bytes("30 25 12 fb 82 c4 5c 1c c0 ab f1 f8 f0 0f 35 90 ed 38 66 f0"));
        assertThat(auth.passwordTruncated()).isFalse();
    }

    @Test
    void v2SendsWithoutLinkLocalAndAcceptsBoth() throws Exception {
        CarpAuth auth = CarpAuth.of(ascii("correct horse battery staple"), 7,
                List.of(ip("fe80::1"), ip("192.168.1.10"), ip("2001:db8::1"), ip("10.0.0.1")));
        byte[] withoutLinkLocal = Hex.bytes("c1 3b 73 19 79 13 e7 cd 24 d0 02 3f c1 05 7d 18 d4 2e b1 6c");
        byte[] withLinkLocal = Hex.bytes("7d 9a 1f 14 d4 bb 09 81 27 00 a9 b0 a0 f4 69 85 eb 4d f4 34");

        assertThat(auth.passwordTruncated()).isTrue();
        assertThat(sign(auth, VECTOR_COUNTER)).isEqualTo(withoutLinkLocal);
        assertThat(verifies(auth, VECTOR_COUNTER, withoutLinkLocal)).isTrue();
        // sign() gave the no-link-local digest, so accepting this different one means the with-LL context matched it
        assertThat(verifies(auth, VECTOR_COUNTER, withLinkLocal)).isTrue();
        assertThat(auth.addresses()).containsExactly(ip("10.0.0.1"), ip("192.168.1.10"), ip("2001:db8::1"), ip("fe80::1"));
    }

    @Test
    void v3EmptyPasswordIsTwentyZeroBytes() throws Exception {
        CarpAuth auth = CarpAuth.of(new byte[0], 255, List.of(ip("10.1.1.252")));
        assertThat(sign(auth, 0L)).isEqualTo(Hex.bytes("d9 60 1e 04 4c bd 69 79 c0 62 69 fe 90 aa ce ad 15 f7 de 92"));
    }

    @Test
    void onlyNineteenPasswordBytesCount() throws Exception {
        List<InetAddress> vip = List.of(ip("192.0.2.1"));
        CarpAuth nineteen = CarpAuth.of(ascii("0123456789abcdefghi"), 3, vip);
        CarpAuth longer = CarpAuth.of(ascii("0123456789abcdefghiXYZ"), 3, vip);
        assertThat(nineteen.passwordTruncated()).isFalse();
        assertThat(longer.passwordTruncated()).isTrue();
        assertThat(sign(longer, 99)).isEqualTo(sign(nineteen, 99));
    }

    @Test
    void addressOrderAndDuplicatesDoNotMatter() throws Exception {
        byte[] pw = ascii("pw");
        CarpAuth a = CarpAuth.of(pw, 9, List.of(ip("10.0.0.2"), ip("2001:db8::2"), ip("10.0.0.1"), ip("2001:db8::1")));
        CarpAuth b = CarpAuth.of(pw, 9, List.of(ip("2001:db8::1"), ip("10.0.0.1"), ip("10.0.0.1"), ip("2001:db8::2"), ip("10.0.0.2")));
        assertThat(sign(b, 5)).isEqualTo(sign(a, 5));
        assertThat(b.addresses()).isEqualTo(a.addresses());
    }

    @Test
    void ipv4SortsNumericallyNotBySignedBytes() throws Exception {
        // 200.x must come after 10.x: a signed-byte comparison would put it first.
        CarpAuth auth = CarpAuth.of(ascii("k"), 4, List.of(ip("200.0.0.1"), ip("10.0.0.1")));
        assertThat(sign(auth, 1)).isEqualTo(javaxHmac(ascii("k"), 4, List.of(ip("10.0.0.1"), ip("200.0.0.1")), 1));
    }

    @Test
    void matchesJavaxHmacSha1OnRandomInputs() throws Exception {
        Random random = new Random(2026);
        for (int round = 0; round < 500; round++) {
            byte[] password = new byte[random.nextInt(25)];
            random.nextBytes(password);
            int vhid = 1 + random.nextInt(255);
            List<InetAddress> v4 = new ArrayList<>();
            List<InetAddress> v6 = new ArrayList<>();
            for (int i = random.nextInt(5); i > 0; i--) v4.add(randomAddress(random, 4));
            for (int i = random.nextInt(4); i > 0; i--) v6.add(randomAddress(random, 16));
            List<InetAddress> all = new ArrayList<>(v4);
            all.addAll(v6);
            Collections.shuffle(all, random);
            long counter = random.nextLong();

            CarpAuth auth = CarpAuth.of(password, vhid, all);
            byte[] expected = javaxHmac(Arrays.copyOf(password, Math.min(password.length, 19)), vhid, sorted(v4, v6), counter);
            assertThat(sign(auth, counter)).as("round %d", round).isEqualTo(expected);
            assertThat(verifies(auth, counter, expected)).isTrue();
            expected[random.nextInt(20)] ^= (byte) (1 << random.nextInt(8));
            assertThat(verifies(auth, counter, expected)).isFalse();
        }
    }

    @Test
    void rejectsInvalidArguments() {
        assertThatThrownBy(() -> CarpAuth.of(ascii("x"), 0, List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vhid");
        assertThatThrownBy(() -> CarpAuth.of(ascii("x"), 256, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CarpAuth.of(null, 1, List.of())).isInstanceOf(NullPointerException.class).hasMessageContaining("password");
    }

    @Test
    void toStringDoesNotRevealThePassword() throws Exception {
        assertThat(CarpAuth.of(ascii("hunter2"), 1, List.of(ip("192.0.2.1"))).toString()).doesNotContain("hunter2");
    }

    // --- helpers -------------------------------------------------------------------------------

    static byte[] sign(CarpAuth auth, long counter) {
        byte[] packet = packetWithCounter(counter);
        auth.sign(new Sha1(), packet, 0);
        return Arrays.copyOfRange(packet, 16, 36);
    }

    static boolean verifies(CarpAuth auth, long counter, byte[] hmac) {
        byte[] packet = packetWithCounter(counter);
        System.arraycopy(hmac, 0, packet, 16, 20);
        return auth.verify(new Sha1(), new byte[20], packet, 0);
    }

    private static byte[] packetWithCounter(long counter) {
        byte[] packet = new byte[36];
        for (int i = 0; i < 8; i++) packet[8 + i] = (byte) (counter >>> (56 - 8 * i));
        return packet;
    }

    /** The §2.3 message built independently and MACed by the JDK; addresses already in message order. */
    private static byte[] javaxHmac(byte[] password, int vhid, List<InetAddress> ordered, long counter) throws Exception {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write(2);
        m.write(1);
        m.write(vhid);
        for (InetAddress a : ordered) m.write(a.getAddress());
        for (int i = 0; i < 8; i++) m.write((int) (counter >>> (56 - 8 * i)));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(Arrays.copyOf(password, 20), "HmacSHA1"));
        return mac.doFinal(m.toByteArray());
    }

    /** Send order: IPv4 by unsigned value, then IPv6 bytewise, duplicates dropped, link-locals left out. */
    private static List<InetAddress> sorted(List<InetAddress> v4, List<InetAddress> v6) {
        List<InetAddress> out = new ArrayList<>();
        for (List<InetAddress> family : List.of(v4, v6)) {
            family.stream()
                    .filter(a -> !a.isLinkLocalAddress())
                    .map(InetAddress::getAddress)
                    .sorted(Arrays::compareUnsigned)
                    .map(CarpAuthTest::address)
                    .distinct()
                    .forEach(out::add);
        }
        return out;
    }

    private static InetAddress randomAddress(Random random, int length) {
        byte[] raw = new byte[length];
        random.nextBytes(raw);
        if (length == 16 && random.nextInt(3) == 0) { // some link-locals
            raw[0] = (byte) 0xfe;
            raw[1] = (byte) 0x80;
        }
        if (length == 16 && raw[0] == 0 && raw[10] == (byte) 0xff) raw[0] = 0x20; // avoid IPv4-mapped forms
        return address(raw);
    }

    static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
