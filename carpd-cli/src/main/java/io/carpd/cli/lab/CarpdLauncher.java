package io.carpd.cli.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start another {@code carpd} JVM: the running JVM's java binary and class path, so the
 * lab starts the very build it runs from (the shaded jar from the CLI, the Maven class path in
 * tests).
 *
 * @param java      the java executable
 * @param classpath class path holding {@code io.carpd.cli.Main} and its dependencies
 */
public record CarpdLauncher(String java, String classpath) {

    /** Small heap, serial GC and C1 only: two daemons start quickly on a busy two-core machine. */
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");

    public static CarpdLauncher current() {
        return new CarpdLauncher(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"));
    }

    /** The full command line running {@code carpd args...}. */
    public List<String> command(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(JVM_OPTIONS);
        argv.add("-cp");
        argv.add(classpath);
        argv.add("io.carpd.cli.Main");
        argv.addAll(args);
        return argv;
    }
}
