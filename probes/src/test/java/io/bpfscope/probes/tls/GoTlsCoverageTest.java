package io.bpfscope.probes.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.probes.golang.GoPrograms;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tls-map's scan on a running Go client, as built and stripped: Go crypto/tls, covered automatically. */
class GoTlsCoverageTest {

    @ParameterizedTest(name = "stripped={0}")
    @ValueSource(booleans = {false, true})
    void aRunningGoClientIsGoCryptoTlsCoveredAutomatically(boolean stripped) throws Exception {
        Path binary = stripped ? GoPrograms.strippedClient() : GoPrograms.client();
        try (TlsPeer client = TlsPeer.start(List.of(binary.toString(), "https://127.0.0.1:1/", "1"),
                Map.of("GO_CLIENT_WAIT", "1"))) {
            client.awaitLine("ready"::equals, Duration.ofSeconds(10));
            List<TlsCoverage.Finding> findings = TlsCoverage.scan(client.pid());

            assertThat(findings).hasSize(1);
            TlsCoverage.Finding go = findings.get(0);
            assertThat(go.kind()).isEqualTo("Go crypto/tls");
            assertThat(go.library()).isEqualTo(binary.toString());
            assertThat(go.traceable()).isTrue();
            assertThat(go.why()).startsWith("covered automatically (go1.")
                    .contains(stripped ? "functions from .gopclntab" : "functions from .symtab");
        }
    }
}
