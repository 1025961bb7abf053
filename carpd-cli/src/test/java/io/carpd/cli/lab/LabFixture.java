package io.carpd.cli.lab;

import java.nio.file.Path;
import java.security.SecureRandom;

/** Builds labs for tests: random namespace prefix, directory kept under target/ for the logs. */
final class LabFixture {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private LabFixture() {}

    /** A fresh prefix like {@code cdtk3x9-}, so concurrent runs and other labs never collide. */
    static String randomPrefix() {
        StringBuilder s = new StringBuilder("cdt");
        for (int i = 0; i < 4; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.append('-').toString();
    }

    /** A built lab (daemons not started) that a JVM shutdown hook removes if the test never closes it. */
    static Lab create(LabProfile profile) {
        String prefix = randomPrefix();
        LabLayout layout = new LabLayout(Path.of("target", "lab-e2e", prefix).toAbsolutePath());
        return Lab.create(layout, prefix, profile, DaemonKind.CARPD, CarpdLauncher.current(), true);
    }
}
