package io.carpd.cli.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start another {@code carpd} JVM: the running JVM's java binary and class path, so the
 * lab starts the very build it runs from (the shaded jar from the CLI, the Maven class path in
 * tests), with the JVM options of the packaged daemon.
 *
 * @param java       the java executable
 * @param classpath  class path holding {@code io.carpd.cli.Main} and its dependencies
 * @param jvmOptions options before the class path
 */
public record CarpdLauncher(String java, String classpath, List<String> jvmOptions) {

    /**
     * Small heap, serial GC and C1 only, as the packaged daemon runs (docker/carpd's default
     * JAVA_OPTS): two daemons start quickly on a busy two-core machine.
     */
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
            "--enable-native-access=ALL-UNNAMED");

    public CarpdLauncher {
        jvmOptions = List.copyOf(jvmOptions);
    }

    public static CarpdLauncher current() {
        return new CarpdLauncher(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"), JVM_OPTIONS);
    }

    /** The same launcher with a maximum heap of {@code size} (a JVM size such as {@code 256m}) instead of 64 MiB. */
    public CarpdLauncher withMaxHeap(String size) {
        if (!size.matches("[1-9][0-9]*[kKmMgG]?")) {
            throw new IllegalArgumentException("heap size '" + size + "' is not a JVM size such as 256m");
        }
        List<String> options = new ArrayList<>(jvmOptions.stream().filter(o -> !o.startsWith("-Xmx")).toList());
        options.addFirst("-Xmx" + size);
        return new CarpdLauncher(java, classpath, options);
    }

    /** The full command line running {@code carpd args...}. */
    public List<String> command(List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(java);
        argv.addAll(jvmOptions);
        argv.add("-cp");
        argv.add(classpath);
        argv.add("io.carpd.cli.Main");
        argv.addAll(args);
        return argv;
    }
}
