package io.carpd.testing;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

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
}
