package io.carpd.cli.lab;

import io.carpd.cli.Main;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Runs {@code carpd} operator verbs the way an operator does: in this JVM through the same picocli
 * entry point as {@code Main.main} (exit code, stdout and stderr captured), or as another user in a
 * fresh JVM. The verbs talk to a daemon's Unix socket, a file under the lab directory, so no
 * namespace needs entering.
 */
final class CarpdCli {

    private CarpdCli() {}

    /** What a command did. */
    record Outcome(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + ", stdout: " + out.strip() + ", stderr: " + err.strip();
        }
    }

    /** {@code carpd args...} in this JVM. */
    static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    /**
     * {@code carpd args...} in a new JVM running as {@code uid}/{@code gid} without supplementary
     * groups. The class path, without test classes, is copied into {@code copyDir} first (made
     * world-readable), because the build's own class path usually lives under root's home, which
     * other users cannot read.
     */
    static Outcome runAs(int uid, int gid, Path copyDir, String... args) {
        try {
            String classpath = readableClasspath(copyDir);
            List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath, Main.class.getName()));
            argv.addAll(List.of(args));
            Path out = copyDir.resolve("out.txt");
            Path err = copyDir.resolve("err.txt");
            Process p = new ProcessBuilder(argv).directory(copyDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("carpd " + String.join(" ", args) + " as uid " + uid + " did not finish in 60 s");
            }
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String readableClasspath(Path copyDir) throws IOException {
        Files.createDirectories(copyDir);
        Files.setPosixFilePermissions(copyDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source) || isTestOnly(source)) {
                continue;
            }
            Path target = copyDir.resolve("cp" + i++ + (Files.isDirectory(source) ? "" : ".jar"));
            if (!Files.exists(target)) {
                copy(source, target);
            }
            entries.add(target.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Test classes and test jars: the installed CLI has neither (nor their logback-test.xml). */
    private static boolean isTestOnly(Path entry) {
        String name = entry.getFileName().toString();
        return name.equals("test-classes") || name.endsWith("-tests.jar");
    }

    private static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source)) {
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path p : tree.toList()) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, t);
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }
}
