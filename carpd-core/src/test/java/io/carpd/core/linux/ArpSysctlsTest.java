package io.carpd.core.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interface names against a stand-in for /proc/sys/net/ipv4/conf (no root, no namespace). */
class ArpSysctlsTest {

    @TempDir
    Path conf;

    @Test
    void everyNameTheConfigAcceptsIsWritten() throws Exception {
        // '+' and '#' are legal in Linux interface names and pass the config check.
        for (String iface : new String[] {"lan", "br+lan", "vlan#5"}) {
            Files.createDirectories(conf.resolve(iface));
            new ArpSysctls(conf).configureForVirtualMac(iface);
            assertThat(Files.readString(conf.resolve(iface).resolve("arp_ignore"))).isEqualTo("1");
            assertThat(Files.readString(conf.resolve(iface).resolve("arp_announce"))).isEqualTo("2");
        }
    }

    @Test
    void namesThatCouldLeaveTheDirectoryAreRefused() {
        for (String iface : new String[] {"..", ".", "../all", "a/b", "", "sixteen-chars-xx"}) {
            assertThatThrownBy(() -> new ArpSysctls(conf).write(iface, "arp_ignore", 1))
                    .as(iface).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + iface + "'");
        }
    }
}
