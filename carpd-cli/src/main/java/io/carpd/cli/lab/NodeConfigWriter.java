package io.carpd.cli.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a lab firewall's carpd.yaml (CONTRACTS §1 format) and password file, with every path the
 * daemon uses under the lab directory.
 */
public final class NodeConfigWriter {

    private NodeConfigWriter() {}

    /** Writes {@code <dir>/<fw>.yaml} and {@code <dir>/<fw>/carp.pass}; returns the config path. */
    public static Path write(LabLayout layout, LabNode fw, LabProfile profile) {
        try {
            Files.createDirectories(layout.runtimeDir(fw));
            Files.createDirectories(layout.stateDir(fw));
            Path pass = layout.passwordFile(fw);
            Files.writeString(pass, profile.password(fw), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
            if (profile.stateSync()) {
                Path key = layout.syncKeyFile(fw);
                Files.writeString(key, profile.syncKey(fw), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            }
            Path cfg = layout.config(fw);
            Files.writeString(cfg, yaml(layout, fw, profile), StandardCharsets.UTF_8);
            return cfg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write config of " + fw.label() + " under " + layout.dir(), e);
        }
    }

    static String yaml(LabLayout layout, LabNode fw, LabProfile profile) {
        StringBuilder y = new StringBuilder();
        y.append("# carpd lab: ").append(fw.label()).append(" of the reference deployment (generated)\n");
        y.append("node: ").append(fw.label()).append('\n');
        y.append("runtime_dir: ").append(layout.runtimeDir(fw)).append('\n');
        y.append("state_dir: ").append(layout.stateDir(fw)).append('\n');
        y.append("defaults:\n");
        y.append("  advbase: ").append(profile.advbase()).append('\n');
        y.append("  advskew: ").append(profile.advskew(fw)).append('\n');
        y.append("  preempt: true\n");
        y.append("  password_file: ").append(layout.passwordFile(fw)).append('\n');
        y.append("vhids:\n");
        for (LabVip vip : LabVip.values()) {
            y.append("  - vhid: ").append(vip.vhid()).append('\n');
            y.append("    interface: ").append(vip.iface()).append('\n');
            y.append("    addresses: [").append(vip.cidr()).append("]\n");
            if (profile.unicastPeers()) {
                y.append("    peers: [").append(Topology.address(fw.other(), vip.segment())).append("]\n");
            }
        }
        if (profile.stateSync()) {
            y.append("sync:\n");
            y.append("  interface: ").append(Segment.SYNC.iface()).append('\n');
            y.append("  local: ").append(Topology.address(fw, Segment.SYNC)).append('\n');
            y.append("  peer: ").append(Topology.address(fw.other(), Segment.SYNC)).append('\n');
            y.append("  key_file: ").append(layout.syncKeyFile(fw)).append('\n');
        }
        y.append("api:\n");
        y.append("  socket: ").append(layout.controlSocket(fw)).append('\n');
        return y.toString();
    }
}
