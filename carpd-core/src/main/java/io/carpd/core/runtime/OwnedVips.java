package io.carpd.core.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The VIPs this node currently holds, mirrored to the owned-VIP file. Claims are written before the
 * addresses are added and disowning happens after they are removed, so the file is always a
 * superset of what is on the interfaces.
 */
final class OwnedVips {

    private static final Logger log = LoggerFactory.getLogger(OwnedVips.class);

    private final OwnedVipsFile file;
    private final Set<OwnedVip> held = new LinkedHashSet<>();

    OwnedVips(OwnedVipsFile file) {
        this.file = file;
    }

    void claim(Collection<OwnedVip> vips) {
        if (held.addAll(vips)) persist();
    }

    void disown(Collection<OwnedVip> vips) {
        if (held.removeAll(vips)) persist();
    }

    List<OwnedVip> held() {
        return List.copyOf(held);
    }

    private void persist() {
        try {
            file.write(held);
        } catch (IOException e) {
            log.error("cannot record owned VIPs in {}: {} (a crash now would leave addresses behind)",
                    file.path(), e.toString());
        }
    }

    /**
     * Removes the addresses a previous run recorded but did not release (it crashed or was killed),
     * then rewrites the record with only those that could not be removed. Runs before anything else
     * at start, so a restarted BACKUP never holds a VIP the peer now owns.
     *
     * @param delete removes one address, answering whether it was there
     * @return how many addresses were actually removed
     */
    static int removeStale(OwnedVipsFile file, Predicate<OwnedVip> delete) throws IOException {
        List<OwnedVip> stale = file.read();
        int removed = 0;
        List<OwnedVip> failed = new ArrayList<>();
        for (OwnedVip vip : stale) {
            try {
                if (delete.test(vip)) {
                    removed++;
                    log.warn("removed stale VIP {} left by a previous run", vip);
                }
            } catch (RuntimeException e) {
                log.error("cannot remove stale VIP {}: {}", vip, e.toString());
                failed.add(vip);
            }
        }
        if (!stale.isEmpty()) file.write(failed);
        return removed;
    }
}
