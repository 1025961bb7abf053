package io.carpd.core.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class OwnedVipsFileTest {

    @TempDir
    Path dir;

    private final OwnedVip lan = new OwnedVip("lan", InetAddress.ofLiteral("192.0.2.254"), 24);
    private final OwnedVip wan6 = new OwnedVip("wan", InetAddress.ofLiteral("2001:db8::4"), 64);

    @Test
    void rewriteReplacesTheWholeSetAndLeavesNoTempFile() throws IOException {
        OwnedVipsFile file = new OwnedVipsFile(dir);
        file.write(List.of(lan, wan6));
        file.write(List.of(wan6));

        assertThat(file.read()).containsExactly(wan6);
        try (var entries = Files.list(dir)) {
            assertThat(entries).extracting(p -> p.getFileName().toString()).containsExactly("owned-vips");
        }
    }

    @Test
    void emptySetRemovesTheFile() throws IOException {
        OwnedVipsFile file = new OwnedVipsFile(dir);
        file.write(List.of(lan));
        file.write(List.of());

        assertThat(file.path()).doesNotExist();
        assertThat(file.read()).isEmpty();
    }

    @Test
    void malformedLinesAreSkippedNotFatal() throws IOException {
        Files.writeString(dir.resolve("owned-vips"), "lan 192.0.2.254/24\ngarbage\nlan 192.0.2.1/99\nwan 2001:db8::4/64\n");

        assertThat(new OwnedVipsFile(dir).read()).containsExactly(lan, wan6);
    }

    @Test
    void staleCleanupRemovesRecordedVipsAndKeepsOnlyTheOnesThatFailed() throws IOException {
        OwnedVipsFile file = new OwnedVipsFile(dir);
        file.write(List.of(lan, wan6));
        List<OwnedVip> deleted = new ArrayList<>();
        Predicate<OwnedVip> delete = vip -> {
            if (vip.equals(wan6)) throw new IllegalStateException("Operation not permitted");
            deleted.add(vip);
            return true;
        };

        int removed = OwnedVips.removeStale(file, delete);

        assertThat(removed).isEqualTo(1);
        assertThat(deleted).containsExactly(lan);
        assertThat(file.read()).containsExactly(wan6);
    }

    @Test
    void staleCleanupWithoutARecordDoesNothing() throws IOException {
        Predicate<OwnedVip> delete = vip -> {
            throw new AssertionError("nothing recorded, nothing to delete");
        };
        assertThat(OwnedVips.removeStale(new OwnedVipsFile(dir), delete)).isZero();
    }
}
