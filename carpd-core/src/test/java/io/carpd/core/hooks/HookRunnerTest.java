package io.carpd.core.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.carpd.core.config.HooksConfig;
import io.carpd.core.config.IpPrefix;
import io.carpd.core.election.CarpState;
import io.carpd.core.election.VhKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Runs real shell hooks from temp dirs. Every script is written before the runner starts: writing
 * an executable while another thread forks can make its exec fail with ETXTBSY.
 */
class HookRunnerTest {
    private static final Duration IDLE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    Path dir;
    Path log;

    private final List<HookRunner> runners = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final ch.qos.logback.classic.Logger runnerLog =
            (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(HookRunner.class);

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectory(tmp.resolve("hooks.d"));
        log = tmp.resolve("log");
        logged.start();
        runnerLog.addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        runners.forEach(HookRunner::close);
        runnerLog.detachAppender(logged);
    }

    @Test
    void hooksRunInOrderOneAtATimeEventAfterEvent() throws Exception {
        String body = """
                echo "start $(basename "$0") $1 $2" >> %s
                sleep 0.05
                echo "end $(basename "$0")" >> %s
                """.formatted(log, log);
        Path command = script(tmp.resolve("first-command"), body);
        script(dir.resolve("20-second"), body);
        script(dir.resolve("10-first"), body);
        HookRunner runner = started(new HookRunner(new HooksConfig(dir, Duration.ofSeconds(10), List.of(command)), "fw1"));

        runner.submit(vhid(1, CarpState.MASTER));
        runner.submit(new HookEvent.NodeRole(Role.BACKUP, Role.MASTER, "test"));
        runner.submit(new HookEvent.DemotionChange("carp", 0, 240, "test", Role.MASTER));

        assertThat(runner.awaitIdle(IDLE)).isTrue();
        List<String> expected = new ArrayList<>();
        for (String args : List.of("vhid MASTER", "node MASTER", "demotion 240")) {
            for (String hook : List.of("first-command", "10-first", "20-second")) {
                expected.add("start " + hook + " " + args);
                expected.add("end " + hook);
            }
        }
        assertThat(Files.readAllLines(log)).isEqualTo(expected);
        assertThat(runner.counters()).isEqualTo(new HookCounters(9, 0, 0, 0));
    }

    @Test
    void hooksGetArgumentsEnvironmentRootDirectoryAndNoStdin() throws Exception {
        script(dir.resolve("10-env"), """
                {
                  echo "argc=$# 1=$1 2=$2"
                  env | grep '^CARPD_' | sort
                  echo "PATH inherited: ${PATH:+yes}"
                  echo "cwd=$(pwd)"
                  echo "stdin=$(cat | wc -c)"
                } > %s
                """.formatted(log));
        HookRunner runner = started(new HookRunner(new HookFinder(dir, List.of()), Duration.ofSeconds(10), "fw1", 8));

        runner.submit(new HookEvent.VhidTransition(new VhKey("lan", 2),
                List.of(IpPrefix.parse("192.0.2.254/24"), IpPrefix.parse("2001:db8:1::254/64")),
                CarpState.BACKUP, CarpState.MASTER, "no advertisement for 3.39 s", 0, Role.MASTER));

        assertThat(runner.awaitIdle(IDLE)).isTrue();
        assertThat(Files.readAllLines(log)).containsExactly(
                "argc=2 1=vhid 2=MASTER",
                "CARPD_DEMOTION=0",
                "CARPD_DEMOTION_GROUP=",
                "CARPD_EVENT=vhid",
                "CARPD_INTERFACE=lan",
                "CARPD_NEW_STATE=MASTER",
                "CARPD_NODE=fw1",
                "CARPD_NODE_ROLE=MASTER",
                "CARPD_OLD_STATE=BACKUP",
                "CARPD_REASON=no advertisement for 3.39 s",
                "CARPD_VHID=2",
                "CARPD_VIPS=192.0.2.254/24 2001:db8:1::254/64",
                "PATH inherited: yes",
                "cwd=/",
                "stdin=0");
    }

    @Test
    void aHangingHookIsKilledWithItsChildrenAndTheNextHooksStillRun() throws Exception {
        Path pids = tmp.resolve("pids");
        Path hang = script(tmp.resolve("hang"), """
                sleep 3600 &
                echo $! >> %s
                wait
                """.formatted(pids));
        script(dir.resolve("10-append"), "echo \"$1 $2\" >> " + log + "\n");
        HookRunner runner = started(new HookRunner(new HookFinder(dir, List.of(hang)), Duration.ofMillis(300), "fw1", 8));

        runner.submit(vhid(1, CarpState.MASTER));
        runner.submit(vhid(1, CarpState.BACKUP));

        assertThat(runner.awaitIdle(IDLE)).isTrue();
        assertThat(Files.readAllLines(log)).containsExactly("vhid MASTER", "vhid BACKUP");
        assertThat(runner.counters()).isEqualTo(new HookCounters(4, 0, 2, 0));
        List<String> sleepers = Files.readAllLines(pids);
        assertThat(sleepers).hasSize(2);
        for (String pid : sleepers) {
            assertThat(gone(Long.parseLong(pid))).as("sleep %s killed", pid).isTrue();
        }
        assertThat(messages(Level.WARN)).filteredOn(m -> m.startsWith("hook " + hang))
                .hasSize(2)
                .allMatch(m -> m.contains("timed out after 300 ms; killed it and 1 descendant(s)"));
    }

    @Test
    void aFailingHookIsLoggedAndDoesNotStopTheOthers() throws Exception {
        Path unstartable = script(tmp.resolve("bad-interpreter"), "");
        Files.writeString(unstartable, "#!/nonexistent/interpreter\n");
        script(dir.resolve("10-fail"), "echo boom; echo oops >&2; exit 3\n");
        script(dir.resolve("20-ok"), "echo \"$1 $2\" >> " + log + "\n");
        HookRunner runner = started(new HookRunner(new HookFinder(dir, List.of(unstartable)), Duration.ofSeconds(10), "fw1", 8));

        runner.submit(vhid(3, CarpState.BACKUP));

        assertThat(runner.awaitIdle(IDLE)).isTrue();
        assertThat(Files.readAllLines(log)).containsExactly("vhid BACKUP");
        assertThat(runner.counters()).isEqualTo(new HookCounters(3, 2, 0, 0));
        assertThat(messages(Level.WARN)).anySatisfy(m -> assertThat(m)
                .startsWith("hook " + unstartable + " (vhid 3 on lan INIT -> BACKUP) could not be started"));
        assertThat(messages(Level.WARN)).anySatisfy(m -> assertThat(m)
                .startsWith("hook " + dir.resolve("10-fail") + " (vhid 3 on lan INIT -> BACKUP) failed: exit 3 in ")
                .endsWith("; output: boom\\noops"));
        assertThat(messages(Level.INFO)).anySatisfy(m -> assertThat(m)
                .startsWith("hook " + dir.resolve("20-ok") + " (vhid 3 on lan INIT -> BACKUP): exit 0 in "));
    }

    @Test
    void submitReturnsWhileAHookHangsAndCloseKillsIt() throws Exception {
        Path started = tmp.resolve("started");
        script(dir.resolve("10-hang"), """
                sleep 3600 &
                echo $! > %s
                wait
                """.formatted(started));
        HookRunner runner = started(new HookRunner(new HookFinder(dir, List.of()), Duration.ofMinutes(10), "fw1", 4));
        runner.submit(vhid(1, CarpState.MASTER));
        long sleeper = Long.parseLong(awaitFile(started).strip());

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 10; i++) {
                runner.submit(vhid(1, i % 2 == 0 ? CarpState.BACKUP : CarpState.MASTER));
            }
        });

        assertThat(runner.counters()).isEqualTo(new HookCounters(1, 0, 0, 6));
        assertThat(runner.awaitIdle(Duration.ofMillis(50))).isFalse();
        runner.close();
        assertThat(gone(sleeper)).isTrue();
        assertThat(messages(Level.WARN)).contains("hook runner closing: 4 pending event(s) not run");
    }

    @Test
    void aFullQueueDropsTheOldestPendingEvent() throws Exception {
        Path started = tmp.resolve("started");
        script(dir.resolve("10-record"), """
                if [ "$2" = 1 ]; then echo $$ > %s; sleep 3600; fi
                echo "$2" >> %s
                """.formatted(started, log));
        HookRunner runner = started(new HookRunner(new HookFinder(dir, List.of()), Duration.ofSeconds(2), "fw1", 3));
        runner.submit(demotion(1));
        awaitFile(started);

        for (int d = 2; d <= 6; d++) {
            runner.submit(demotion(d));
        }

        assertThat(runner.awaitIdle(IDLE)).isTrue();
        assertThat(Files.readAllLines(log)).containsExactly("4", "5", "6");
        assertThat(runner.counters()).isEqualTo(new HookCounters(4, 0, 1, 2));
        assertThat(messages(Level.WARN)).contains(
                "hook queue full (3 pending): dropped the oldest, demotion carp 0 -> 2 (1 dropped so far)",
                "hook queue full (3 pending): dropped the oldest, demotion carp 0 -> 3 (2 dropped so far)");
    }

    private HookRunner started(HookRunner runner) {
        runners.add(runner);
        runner.start();
        return runner;
    }

    private static HookEvent vhid(int n, CarpState to) {
        return new HookEvent.VhidTransition(new VhKey("lan", n), List.of(IpPrefix.parse("192.0.2.1/24")),
                CarpState.INIT, to, "test", 0, Role.MIXED);
    }

    private static HookEvent demotion(int value) {
        return new HookEvent.DemotionChange("carp", 0, value, "test", Role.BACKUP);
    }

    private static Path script(Path p, String body) throws IOException {
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** The file's content once a hook wrote a full line to it. */
    private static String awaitFile(Path p) throws Exception {
        long deadline = System.nanoTime() + IDLE.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(p)) {
                String s = Files.readString(p);
                if (s.endsWith("\n")) {
                    return s;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError(p + " was not written by the hook");
    }

    /** Whether the process has exited (gone, or a zombie waiting for a reaper that is not ours). */
    private static boolean gone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                if (stat.charAt(stat.lastIndexOf(')') + 2) == 'Z') {
                    return true;
                }
            } catch (IOException e) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private List<String> messages(Level level) {
        return logged.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
