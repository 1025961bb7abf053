package io.carpd.core.api;

import io.netty.channel.unix.PeerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who may talk to the Unix socket (checked with SO_PEERCRED, independent of the file mode): root,
 * the daemon's own user, and, when {@code socket_group} is set, members of that group (primary or
 * supplementary group of the connecting process).
 */
final class PeerPolicy {

    private final int ownUid;
    private final String groupName;
    private final int groupGid;

    /** @param groupGid gid of {@code socket_group}, or -1 when none is configured */
    PeerPolicy(int ownUid, String groupName, int groupGid) {
        this.ownUid = ownUid;
        this.groupName = groupName;
        this.groupGid = groupGid;
    }

    /** Null when the peer may connect, else the reason it may not. */
    String denial(PeerCredentials peer) {
        int uid = peer.uid();
        if (uid == 0 || uid == ownUid) return null;
        if (groupGid >= 0) {
            for (int gid : peer.gids()) if (gid == groupGid) return null;
            if (inSupplementaryGroup(peer.pid())) return null;
            return "uid " + uid + " is neither root nor in group " + groupName;
        }
        return "uid " + uid + " is not root";
    }

    private boolean inSupplementaryGroup(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (!line.startsWith("Groups:")) continue;
                for (String g : line.substring("Groups:".length()).trim().split("\\s+")) {
                    if (!g.isEmpty() && Integer.parseInt(g) == groupGid) return true;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The process is gone or unreadable: treat as not a member.
        }
        return false;
    }
}
