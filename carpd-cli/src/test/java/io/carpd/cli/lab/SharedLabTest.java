package io.carpd.cli.lab;

import io.carpd.testing.Netns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the test classes that share one running lab: started once per class (starting two
 * daemons takes seconds), reset to the baseline before each test, closed after the class.
 */
abstract class SharedLabTest {
    static SharedLab shared;

    @BeforeAll
    static void startSharedLab() {
        Netns.assumeAvailable();
        shared = SharedLab.start();
    }

    @AfterAll
    static void closeSharedLab() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    @BeforeEach
    void resetSharedLab() {
        shared.reset();
    }
}
