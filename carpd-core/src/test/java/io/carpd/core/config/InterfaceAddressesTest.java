package io.carpd.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class InterfaceAddressesTest {

    @Test
    void jdkLookupSeesLoopbackAndReportsUnknownInterfacesAsUnknown() {
        InterfaceAddresses jdk = InterfaceAddresses.fromJdk();

        assertThat(jdk.of("lo")).hasValueSatisfying(prefixes ->
                assertThat(prefixes).anyMatch(p -> p.contains(InetAddress.ofLiteral("127.0.0.1"))));
        assertThat(jdk.of("cd-no-such0")).isEmpty();
        assertThat(InterfaceAddresses.unknown().of("lo")).isEmpty();
    }
}
