package io.carpd.pfsync.link;

import io.carpd.core.config.SyncConfig;
import io.carpd.pfsync.engine.SyncSettings;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinkSettingsTest {
    private static final byte[] KEY = new byte[32];

    private static SyncConfig config(String local, String peer) throws Exception {
        return new SyncConfig("sync", InetAddress.getByName(local), InetAddress.getByName(peer), 8372,
                Path.of("/nonexistent/sync.key"), Duration.ofSeconds(45), 32);
    }

    @Test
    void theTwoNodesOfAPairGetDifferentIdsAndExactlyOneDials() throws Exception {
        for (String[] pair : new String[][] {{"198.51.100.1", "198.51.100.2"}, {"2001:db8:5::1", "2001:db8:5::2"}}) {
            LinkSettings a = LinkSettings.forConfig(config(pair[0], pair[1]), KEY);
            LinkSettings b = LinkSettings.forConfig(config(pair[1], pair[0]), KEY);
            assertThat(a.nodeId()).isNotEqualTo(b.nodeId());
            assertThat(a.dials()).isNotEqualTo(b.dials());
            assertThat(a.port()).isEqualTo(8372);
        }
    }

    @Test
    void engineSettingsTakeBulkTimeoutAndDemotionFromTheConfig() throws Exception {
        SyncSettings s = SyncSettings.forConfig(config("198.51.100.1", "198.51.100.2"));
        assertThat(s.bulkTimeoutNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(45));
        assertThat(s.demotion()).isEqualTo(32);
    }

    @Test
    void impossibleLinksAreRefusedWithTheAddressesNamed() throws Exception {
        assertThatThrownBy(() -> LinkSettings.forConfig(config("198.51.100.1", "198.51.100.1"), KEY))
                .hasMessageContaining("both 198.51.100.1");
        assertThatThrownBy(() -> LinkSettings.forConfig(config("198.51.100.1", "2001:db8::1"), KEY))
                .hasMessageContaining("different families");
    }
}
