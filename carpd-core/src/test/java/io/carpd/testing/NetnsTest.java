package io.carpd.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetnsTest {

    private static String threadNamespace() throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    @Test
    void codeAndCommandsRunInsideTheNamespaceAndDeletionRemovesIt() throws Exception {
        Netns.assumeAvailable();
        String host = threadNamespace();
        Netns ns = Netns.create("t");
        try {
            assertThat(ns.name()).startsWith(Netns.PREFIX).endsWith("t");
            String inside = ns.call(NetnsTest::threadNamespace);
            assertThat(inside).isNotEqualTo(host);
            assertThat(ns.executor().submit(NetnsTest::threadNamespace).get()).isEqualTo(inside);
            ns.exec("ip", "link", "add", "br0", "type", "bridge");
            assertThat(ns.exec("ip", "-o", "link", "show")).contains("br0");
            assertThat(threadNamespace()).isEqualTo(host);
        } finally {
            ns.close();
        }
        assertThat(Path.of("/var/run/netns", ns.name())).doesNotExist();
    }

    @Test
    void guardSkipsWhenUnavailableFailsWhenRequiredAndPassesOtherwise() {
        assertThatThrownBy(() -> Netns.guard("not running as root (uid 1000)", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("uid 1000");
        assertThatThrownBy(() -> Netns.guard("not running as root (uid 1000)", true))
                .isInstanceOf(AssertionError.class).hasMessageContaining("carpd.requireNetns");
        assertThatCode(() -> Netns.guard(null, true)).doesNotThrowAnyException();
    }
}
