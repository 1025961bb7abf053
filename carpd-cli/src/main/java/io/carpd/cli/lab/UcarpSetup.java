package io.carpd.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * ucarp for the comparison benchmark: one process per VHID (ucarp handles a single address), with
 * up/down scripts that add and remove the VIP; ucarp sends the gratuitous ARP itself.
 */
final class UcarpSetup {

    private UcarpSetup() {}

    static void write(LabLayout layout, LabNode fw, LabProfile profile) {
        if (profile.unicastPeers()) {
            throw new LabException("ucarp has no unicast peers; run the comparison with multicast");
        }
        try {
            Files.createDirectories(layout.runtimeDir(fw));
            Path pass = layout.passwordFile(fw);
            Files.writeString(pass, profile.password(fw), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
            // ucarp calls: <script> <interface> <vip> <xparam>; xparam carries the prefix length
            script(upScript(layout, fw), "exec ip addr add \"$2/$3\" dev \"$1\"\n");
            script(downScript(layout, fw), "ip addr del \"$2/$3\" dev \"$1\" 2>/dev/null || true\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ucarp files of " + fw.label() + " under " + layout.dir(), e);
        }
    }

    static List<List<String>> commands(LabLayout layout, LabNode fw, LabProfile profile) {
        List<List<String>> cmds = new ArrayList<>();
        for (LabVip vip : LabVip.values()) {
            cmds.add(List.of("ucarp",
                    "--interface=" + vip.iface(),
                    "--srcip=" + Topology.address(fw, vip.segment()),
                    "--vhid=" + vip.vhid(),
                    "--passfile=" + layout.passwordFile(fw),
                    "--addr=" + vip.address(),
                    "--advbase=" + profile.advbase(),
                    "--advskew=" + profile.advskew(fw),
                    "--preempt", "--shutdown", "--neutral",
                    "--upscript=" + upScript(layout, fw),
                    "--downscript=" + downScript(layout, fw),
                    "--xparam=" + vip.cidr().substring(vip.cidr().indexOf('/') + 1)));
        }
        return cmds;
    }

    private static Path upScript(LabLayout layout, LabNode fw) {
        return layout.runtimeDir(fw).resolve("vip-up.sh");
    }

    private static Path downScript(LabLayout layout, LabNode fw) {
        return layout.runtimeDir(fw).resolve("vip-down.sh");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }
}
