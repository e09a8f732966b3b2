package dev.assay.artifacts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LicensePolicyTests {

    private final LicensePolicy denyOnly = new LicensePolicy(List.of("AGPL-3.0-only", "SSPL-1.0"), List.of());

    @Test
    void aDeniedLicenseBreaksTheDenyRule() {
        assertThat(denyOnly.evaluate(List.of("AGPL-3.0-only"))).hasValueSatisfying(v -> {
            assertThat(v.rule()).isEqualTo(LicensePolicy.DENY);
            assertThat(v.offending()).containsExactly("AGPL-3.0-only");
        });
        assertThat(denyOnly.evaluate(List.of("agpl-3.0-ONLY"))).isPresent();
        assertThat(denyOnly.evaluate(List.of("MIT"))).isEmpty();
        assertThat(denyOnly.evaluate(List.of())).isEmpty();
    }

    @Test
    void expressionsAreJudgedAsTheyMeanIt() {
        // the recipient may choose MIT
        assertThat(denyOnly.evaluate(List.of("MIT OR AGPL-3.0-only"))).isEmpty();
        assertThat(denyOnly.evaluate(List.of("MIT AND AGPL-3.0-only"))).isPresent();
        assertThat(denyOnly.evaluate(List.of("(SSPL-1.0 OR AGPL-3.0-only) AND MIT"))).hasValueSatisfying(
                v -> assertThat(v.offending()).containsExactly("SSPL-1.0", "AGPL-3.0-only"));
        assertThat(denyOnly.evaluate(List.of("AGPL-3.0-only WITH Classpath-exception-2.0"))).isPresent();
        // several licenses on one component all apply
        assertThat(denyOnly.evaluate(List.of("MIT", "SSPL-1.0"))).isPresent();
        // free text is one opaque license
        assertThat(denyOnly.evaluate(List.of("Some random license"))).isEmpty();
    }

    @Test
    void anAllowListRefusesWhatItDoesNotName() {
        LicensePolicy strict = new LicensePolicy(List.of("AGPL-3.0-only"), List.of("MIT", "Apache-2.0"));
        assertThat(strict.evaluate(List.of("Apache-2.0"))).isEmpty();
        assertThat(strict.evaluate(List.of("MIT OR GPL-3.0-only"))).isEmpty();
        assertThat(strict.evaluate(List.of("GPL-3.0-only"))).hasValueSatisfying(v -> {
            assertThat(v.rule()).isEqualTo(LicensePolicy.NOT_ALLOWED);
            assertThat(v.offending()).containsExactly("GPL-3.0-only");
        });
        assertThat(strict.evaluate(List.of("AGPL-3.0-only"))).hasValueSatisfying(v -> assertThat(v.rule()).isEqualTo("deny"));
    }
}
