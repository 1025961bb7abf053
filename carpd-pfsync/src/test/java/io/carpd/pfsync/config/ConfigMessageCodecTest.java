package io.carpd.pfsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carpd.pfsync.wire.SyncRecord;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfigMessageCodecTest {

    private static ConfigMessage roundTrip(ConfigMessage m) {
        ConfigMessageCodec.Reassembler r = new ConfigMessageCodec.Reassembler();
        List<SyncRecord> fragments = ConfigMessageCodec.fragments(m);
        ConfigMessage out = null;
        for (int i = 0; i < fragments.size(); i++) {
            out = r.add((SyncRecord.ConfigFragment) fragments.get(i));
            assertThat(out == null).as("complete only at the last fragment").isEqualTo(i < fragments.size() - 1);
        }
        return out;
    }

    @Test
    void chunkWithBinaryDataSurvives() {
        byte[] data = new byte[ConfigSync.CHUNK_BYTES];
        new Random(1).nextBytes(data);
        ConfigMessage.Chunk c = (ConfigMessage.Chunk) roundTrip(new ConfigMessage.Chunk(7, 1, 4096, data));
        assertThat(c.tx()).isEqualTo(7);
        assertThat(c.offset()).isEqualTo(4096);
        assertThat(c.data()).isEqualTo(data);
        assertThat(ConfigMessageCodec.fragments(new ConfigMessage.Chunk(7, 1, 4096, data))).as("one chunk, one record").hasSize(1);
    }

    @Test
    void resultLargerThanARecordIsFragmentedAndJoined() {
        String diff = "+x\n".repeat(100_000);
        ConfigMessage.Result r = new ConfigMessage.Result(-3, false, "fw2", "msg",
                List.of(new ConfigMessage.SectionResult("nftables", "invalid", "a", "b", diff, "why")));
        assertThat(ConfigMessageCodec.fragments(r).size()).isGreaterThan(4);
        assertThat(roundTrip(r)).isEqualTo(r);
    }

    @Test
    void beginKeepsModeVersionsAndManifest() {
        ConfigMessage.Begin b = new ConfigMessage.Begin(1, ConfigMessage.Mode.DRY_RUN, "fw1", "0.1.0", 1, true,
                List.of(new ConfigMessage.Manifest("nftables", 10, "ab")));
        assertThat(roundTrip(b)).isEqualTo(b);
    }

    @Test
    void garbageIsAClearError() {
        assertThatThrownBy(() -> ConfigMessageCodec.decode("{\"type\":\"nope\"}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed config-sync message");
    }
}
