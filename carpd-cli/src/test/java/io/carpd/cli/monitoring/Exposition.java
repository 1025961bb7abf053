package io.carpd.cli.monitoring;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading the Prometheus text format a daemon's /metrics returns. */
final class Exposition {

    private static final Pattern VIP_STATE = Pattern.compile(
            "^carpd_vip_state\\{address=\"([^\"]+)\",interface=\"[^\"]+\",state=\"(\\w+)\",vhid=\"\\d+\"} 1(\\.0)?$");

    private Exposition() {}

    /** Sample lines: neither comments nor blank. */
    static List<String> samples(String text) {
        return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    /** The metric names of the samples, e.g. carpd_adverts_sent_total. */
    static Set<String> sampleNames(String text) {
        Set<String> out = new TreeSet<>();
        for (String s : samples(text)) out.add(s.split("[{ ]", 2)[0]);
        return out;
    }

    /** VIP addresses whose carpd_vip_state series for {@code state} is 1. */
    static Set<String> addressesIn(String text, String state) {
        Set<String> out = new TreeSet<>();
        for (String s : samples(text)) {
            Matcher m = VIP_STATE.matcher(s);
            if (m.matches() && m.group(2).equals(state)) out.add(m.group(1));
        }
        return out;
    }
}
