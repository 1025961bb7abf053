package io.carpd.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command runner itself, with plain commands (no namespace, no root needed). */
class NamespacesTest {

    @Test
    void outputExitCodeAndStdinAreCarried() {
        Namespaces.Result r = Namespaces.tryRun(List.of("sh", "-c", "cat; echo oops >&2; exit 3"), "fed in");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("fed in");
        assertThat(r.stderr()).isEqualTo("oops\n");
    }

    @Test
    void aCommandThatHangsIsKilledAtTheTimeoutAndNamed() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Namespaces.tryRun(List.of("sleep", "30"), null, Duration.ofSeconds(1)))
                .isInstanceOf(LabException.class)
                .hasMessage("sleep 30: no exit within 1 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }
}
