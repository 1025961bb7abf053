package io.carpd.cli.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void functionsKeywordsLabelsAndStringsAreNotMetricNames() {
        assertThat(PromQl.metricNames(
                "sum by (instance, reason) (rate(carpd_packets_dropped_total{reason=~\"bad_hmac|x_total\"}[$__rate_interval])) > 0"))
                .containsExactly("carpd_packets_dropped_total");
        assertThat(PromQl.metricNames("time() - carpd_vip_last_transition_timestamp_seconds offset 5m"))
                .containsExactly("carpd_vip_last_transition_timestamp_seconds");
    }

    @Test
    void everySelectorOfABinaryExpressionCounts() {
        assertThat(PromQl.metricNames("max by (job) (2 * a{state=\"MASTER\"} + ignoring(state) b{state=\"BACKUP\"})"))
                .containsExactly("a", "b");
        assertThat(PromQl.metricNames("count by (job) (a == 1) > 1 and on(job, instance) up{job=\"carpd\"} == 0"))
                .containsExactly("a", "up");
        assertThat(PromQl.metricNames("x > bool 1e3 unless y")).containsExactly("x", "y");
        assertThat(PromQl.metricNames("sum without (reason) (x) / count by (job) (y)")).containsExactly("x", "y");
    }

    @Test
    void grafanaLabelValuesQueryNamesItsSelector() {
        assertThat(PromQl.metricNames("label_values(carpd_build_info{job=~\"$job\"}, instance)"))
                .containsExactly("carpd_build_info");
    }
}
