package io.carpd.core.runtime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TransitionCauseTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "no advertisement for 3.39 s|master_down",
            "no IPv6 advertisement for 3.00 s|master_down",
            "master will time out (advbase 255 advskew 255 demote 0)|master_down",
            "bow-out received|bow_out",
            "preempted by better master (advbase 1 advskew 0 demote 0)|preempted",
            "demoted (demote 240, master advbase 1 advskew 0 demote 0)|demoted",
            "master is demoted (advbase 1 advskew 240 demote 240, our demote 0)|peer_demoted",
            "link down|link_down",
            "stopped|stop",
            "something new|other"})
    void reasonsFallIntoLowCardinalityCategories(String reason, String category) {
        assertThat(TransitionCause.category(reason)).isEqualTo(category);
    }
}
