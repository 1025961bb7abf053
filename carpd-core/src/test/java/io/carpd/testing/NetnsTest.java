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

    @Test
    void startedProcessesRunInsideAndAreKilledOnClose() throws Exception {
        Netns.assumeAvailable();
        Path log = Files.createTempFile("netns-test", ".log");
        Netns ns = Netns.create("p");
        Process p;
        try {
            p = ns.start(log, "sh", "-c", "readlink /proc/self/ns/net; exec sleep 60");
            for (int i = 0; i < 50 && Files.readString(log).isBlank(); i++) {
                Thread.sleep(20);
            }
            assertThat(Files.readString(log).trim()).isEqualTo(ns.call(NetnsTest::threadNamespace));
            assertThat(p.isAlive()).isTrue();
        } finally {
            ns.close();
            Files.deleteIfExists(log);
        }
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void commandOutputAndExitCodeAreReported() {
        Netns.assumeAvailable();
        try (Netns ns = Netns.create("c")) {
            assertThat(ns.run("sh", "-c", "echo hi; exit 3")).isEqualTo(new Netns.Result(3, "hi\n"));
            assertThatThrownBy(() -> ns.sh("echo oops >&2; exit 1"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("oops").hasMessageContaining(ns.name());
        }
    }
}
