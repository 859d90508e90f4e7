package io.bpfscope.probes.jsse;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.probes.tls.TlsCoverage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tls-map and the TLS coverage dialog list a running JVM as covered by jsse. */
class JsseCoverageTest {
    @TempDir
    Path dir;

    @Test
    void aRunningJvmIsListedAsCoveredByJsse() throws Exception {
        Path jdk = JsseFixtures.jdks().get(0);
        try (JsseFixtures.Peer jvm = JsseFixtures.client(dir, jdk, "jssemap17", 1)) {
            assertThat(TlsCoverage.scan(jvm.pid()))
                    .filteredOn(finding -> finding.kind().equals(TlsCoverage.JAVA))
                    .singleElement()
                    .satisfies(finding -> {
                        assertThat(finding.comm()).isEqualTo("jssemap17");
                        assertThat(finding.library()).endsWith("/libjvm.so");
                        assertThat(finding.traceable()).isFalse(); // not by the tls probe
                        assertThat(finding.why()).startsWith("covered by jsse");
                    });
        }
    }
}
