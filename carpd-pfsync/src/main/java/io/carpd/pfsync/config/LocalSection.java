package io.carpd.pfsync.config;

import java.nio.file.Path;

/**
 * A section as this node knows it: where it lives here, whether it travels in each direction,
 * and how it is checked and activated. A no-sync section neither sends nor receives.
 */
public record LocalSection(String name, Path path, boolean send, boolean receive, Step validate, Step apply) {

    /** Listed in status as synced (in either direction). */
    public boolean synced() {
        return send || receive;
    }
}
