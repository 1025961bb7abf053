package io.carpd.core.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimeLockTest {

    @TempDir
    Path dir;

    @Test
    void secondAcquireOnTheSameRuntimeDirFailsNamingTheHolder() throws IOException {
        Path runtime = dir.resolve("run");
        try (RuntimeLock first = RuntimeLock.acquire(runtime)) {
            assertThatThrownBy(() -> RuntimeLock.acquire(runtime))
                    .isInstanceOf(RuntimeLock.HeldException.class)
                    .hasMessageContaining("another carpd is running with runtime dir " + runtime)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void lockIsFreeAgainAfterClose() throws IOException {
        RuntimeLock.acquire(dir).close();
        try (RuntimeLock again = RuntimeLock.acquire(dir)) {
            assertThat(dir.resolve("carpd.lock")).exists();
        }
    }
}
