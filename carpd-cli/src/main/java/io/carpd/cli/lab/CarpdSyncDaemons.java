package io.carpd.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Two {@code carpd run} daemons with state sync on the SYNC link, as {@code carpd lab up --state-sync} runs them. */
record CarpdSyncDaemons() implements SyncDaemons {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** JVM start of two daemons on a busy machine plus the first election and bulk. */
    /** What StateSync logs on ENOBUFS before it resyncs by dump. */
    private static final String OVERRUN_LINE = "conntrack events were lost";
    private static final Duration READY = Duration.ofSeconds(60);

    @Override
    public String label() {
        return "carpd";
    }

    @Override
    public LabProfile profile() {
        return LabProfile.reference().withStateSync();
    }

    @Override
    public void start(Lab lab) {
        lab.startDaemons();
        if (!lab.awaitSoleOwner(LabNode.FW1, READY)) {
            throw new LabException("fw1 does not hold both VIPs after " + READY.toSeconds() + " s; logs in " + lab.layout().dir());
        }
        boolean inSync = Lab.await(() -> inSync(lab, LabNode.FW1) && inSync(lab, LabNode.FW2), READY, Duration.ofMillis(200));
        if (!inSync) {
            throw new LabException("state sync is not IN_SYNC on both firewalls after " + READY.toSeconds() + " s; logs in "
                    + lab.layout().dir());
        }
    }

    @Override
    public List<ProcessHandle> processes(Lab lab, LabNode fw) {
        return lab.daemons().processes(fw);
    }

    @Override
    public List<String> losses(Lab lab) {
        List<String> out = new ArrayList<>();
        for (LabNode fw : List.of(LabNode.FW1, LabNode.FW2)) {
            JsonNode counters = sync(lab, fw).path("counters");
            out.add(String.format("%s: %d event overrun(s) logged, %d kernel write failure(s), %d resync(s)", fw.label(),
                    overruns(lab, fw), counters.path("kernel_write_failures").asLong(),
                    counters.path("resyncs").asLong()));
        }
        return out;
    }

    @Override
    public long overruns(Lab lab, LabNode fw) {
        return logLines(lab, fw, OVERRUN_LINE);
    }

    private static boolean inSync(Lab lab, LabNode fw) {
        return sync(lab, fw).path("link").asText().equals("IN_SYNC");
    }

    private static JsonNode sync(Lab lab, LabNode fw) {
        try {
            return JSON.readTree(ControlSocketClient.get(lab.layout().controlSocket(fw), "/api/v1/sync"));
        } catch (IOException | RuntimeException notUp) {
            return JSON.createObjectNode();
        }
    }

    private static long logLines(Lab lab, LabNode fw, String text) {
        try {
            return Files.readAllLines(lab.layout().log(fw)).stream().filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + lab.layout().log(fw), e);
        }
    }
}
