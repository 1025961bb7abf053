package io.carpd.core.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StateFlagsTest {

    @TempDir
    Path dir;

    @Test
    void flagsSurviveANewInstanceAndClearingRemovesTheFile() throws IOException {
        Path state = dir.resolve("state");
        new StateFlags(state).set(StateFlags.Flag.MAINTENANCE, true);

        StateFlags reread = new StateFlags(state);
        assertThat(reread.isSet(StateFlags.Flag.MAINTENANCE)).isTrue();
        assertThat(reread.isSet(StateFlags.Flag.DISABLED)).isFalse();
        assertThat(Files.readString(state.resolve("maintenance"))).isEqualTo("on\n");

        reread.set(StateFlags.Flag.MAINTENANCE, false);
        assertThat(state.resolve("maintenance")).doesNotExist();
        assertThat(new StateFlags(state).isSet(StateFlags.Flag.MAINTENANCE)).isFalse();
    }

    @Test
    void onlyTheWordOnSetsAFlag() throws IOException {
        Files.writeString(dir.resolve("disabled"), "off\n");
        assertThat(new StateFlags(dir).isSet(StateFlags.Flag.DISABLED)).isFalse();
        Files.writeString(dir.resolve("disabled"), " on \n");
        assertThat(new StateFlags(dir).isSet(StateFlags.Flag.DISABLED)).isTrue();
    }
}
