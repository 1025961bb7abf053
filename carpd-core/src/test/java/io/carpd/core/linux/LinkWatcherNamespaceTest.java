package io.carpd.core.linux;

import io.carpd.testing.Netns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class LinkWatcherNamespaceTest {
    private Netns a;
    private Netns b;
    private final BlockingQueue<LinkInfo> seen = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() {
        Netns.assumeAvailable();
        a = Netns.create("lwa");
        b = Netns.create("lwb");
        Netns.veth(a, "eth0", b, "eth0");
    }

    @AfterEach
    void tearDown() {
        Netns.closeAll(a, b);
    }

    private LinkInfo await(Predicate<LinkInfo> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            LinkInfo l = seen.poll(100, TimeUnit.MILLISECONDS);
            if (l != null && what.test(l)) {
                return l;
            }
        }
        throw new AssertionError("no matching link event within 5 s");
    }

    @Test
    void reportsInitialStateThenCarrierLossAndReturnWhenThePeerGoesDownAndUp() throws Exception {
        LinkWatcher watcher = a.call(() -> {
            LinkWatcher w = new LinkWatcher(seen::add);
            w.start();
            return w;
        });
        try {
            LinkInfo initial = await(l -> l.name().equals("eth0"));
            assertThat(initial.up()).isTrue();
            assertThat(initial.lowerUp()).isTrue();

            b.exec("ip", "link", "set", "eth0", "down");
            LinkInfo down = await(l -> l.name().equals("eth0") && !l.lowerUp());
            assertThat(down.up()).as("still administratively up").isTrue();
            assertThat(down.running()).isFalse();
            assertThat(down.usable()).isFalse();

            b.exec("ip", "link", "set", "eth0", "up");
            LinkInfo up = await(l -> l.name().equals("eth0") && l.lowerUp());
            assertThat(up.usable()).isTrue();
            assertThat(up.index()).isEqualTo(initial.index());
        } finally {
            watcher.close();
        }
    }

    @Test
    void resynchronisesAfterTheKernelDropsEventsAndEndsWithTheTrueState() throws Exception {
        a.exec("ip", "link", "add", "br8", "type", "bridge");
        CountDownLatch release = new CountDownLatch(1);
        Map<String, LinkInfo> latest = new ConcurrentHashMap<>();
        LinkWatcher watcher = a.call(() -> {
            LinkWatcher w = new LinkWatcher(l -> {
                try {
                    release.await(); // a stalled consumer lets the socket buffer overflow
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                latest.put(l.name(), l);
            });
            w.start();
            return w;
        });
        try {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 1500; i++) {
                batch.append("link set br8 ").append(i % 2 == 0 ? "up" : "down").append('\n');
            }
            batch.append("link set br8 up\n");
            a.sh("printf '" + batch.toString().replace("\n", "\\n") + "' | ip -batch -");
            release.countDown();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((watcher.resyncs() == 0 || !latest.containsKey("br8")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(300); // let the watcher drain what is left
            assertThat(watcher.resyncs()).as("overflow detected").isPositive();
            LinkInfo truth = a.call(() -> {
                try (RtNetlink nl = RtNetlink.open()) {
                    return nl.link("br8");
                }
            });
            assertThat(truth.up()).isTrue();
            assertThat(latest.get("br8")).as("last delivered state of br8").isEqualTo(truth);
        } finally {
            release.countDown();
            watcher.close();
        }
    }

    @Test
    void aPortLeavingABridgeIsNotReportedAsGone() throws Exception {
        a.exec("ip", "link", "add", "br7", "type", "bridge");
        a.exec("ip", "link", "set", "br7", "up");
        a.exec("ip", "link", "set", "eth0", "master", "br7");
        List<LinkInfo> all = new CopyOnWriteArrayList<>();
        LinkWatcher watcher = a.call(() -> {
            LinkWatcher w = new LinkWatcher(l -> {
                all.add(l);
                seen.add(l);
            });
            w.start();
            return w;
        });
        try {
            await(l -> l.name().equals("eth0"));
            // The bridge announces the port's removal as an AF_BRIDGE RTM_DELLINK for eth0.
            a.exec("ip", "link", "set", "eth0", "nomaster");
            a.exec("ip", "link", "set", "br7", "down"); // a later event to know the earlier ones were read
            await(l -> l.name().equals("br7") && !l.up());
            assertThat(all).noneMatch(l -> l.name().equals("eth0") && l.flags() == 0);
        } finally {
            watcher.close();
        }
    }

    @Test
    void reportsDeletedInterfacesAsDownAndStopsDeliveringAfterClose() throws Exception {
        a.exec("ip", "link", "add", "br9", "type", "bridge");
        a.exec("ip", "link", "set", "br9", "up");
        LinkWatcher watcher = a.call(() -> {
            LinkWatcher w = new LinkWatcher(seen::add);
            w.start();
            return w;
        });
        await(l -> l.name().equals("br9") && l.up());

        a.exec("ip", "link", "del", "br9");
        LinkInfo gone = await(l -> l.name().equals("br9") && l.flags() == 0);
        assertThat(gone.up()).isFalse();
        assertThat(gone.lowerUp()).isFalse();

        watcher.close();
        seen.clear();
        b.exec("ip", "link", "set", "eth0", "down");
        assertThat(seen.poll(500, TimeUnit.MILLISECONDS)).as("event after close").isNull();
    }
}
