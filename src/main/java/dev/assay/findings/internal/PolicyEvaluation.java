package dev.assay.findings.internal;

import static dev.assay.findings.internal.db.Tables.FINDING;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import dev.assay.artifacts.ArtifactCoverage;
import dev.assay.artifacts.ArtifactDetail;
import dev.assay.artifacts.ArtifactFigures;
import dev.assay.artifacts.ArtifactQueries;
import dev.assay.catalog.Catalog;
import dev.assay.catalog.ServiceSummary;
import dev.assay.findings.FindingSource;
import dev.assay.findings.FindingStatus;
import dev.assay.findings.FindingsIntake;
import dev.assay.findings.Policy;
import dev.assay.findings.PolicyViolation;
import dev.assay.findings.Severity;

/**
 * Checks every service against the evidence policies and keeps their findings in step: a violation
 * seen now is reported (created, refreshed or reopened); an open finding of these policies whose
 * violation is no longer seen is fixed. The policies, per artifact in the coverage scope of DESIGN §5
 * (published in the default window, plus the newest of each repository):
 * <ul>
 * <li>{@code unsigned-artifact} (high): no signature at all;</li>
 * <li>{@code unverified-signature} (high): signatures present, none verified against a trusted key;</li>
 * <li>{@code missing-sbom} (medium): no SBOM for the digest;</li>
 * <li>{@code stale-scan} (medium): no scan within the freshness limit;</li>
 * <li>{@code disallowed-license} (high): a component of an SBOM breaks the licence policy;</li>
 * </ul>
 * and per operated service, {@code no-owner} (medium): no owning team or no escalation contact.
 * Each report is its own transaction (see {@link FindingsIntake}); running it again changes nothing.
 */
@Component
public class PolicyEvaluation {

    static final String REPORTED_BY = "policy-check";

    /** The policies this evaluation owns: their open findings are fixed when no longer seen. */
    static final Set<Policy> EVALUATED = EnumSet.of(Policy.UNSIGNED_ARTIFACT, Policy.UNVERIFIED_SIGNATURE,
            Policy.MISSING_SBOM, Policy.STALE_SCAN, Policy.DISALLOWED_LICENSE, Policy.NO_OWNER);

    private final Catalog catalog;
    private final ArtifactFigures artifactFigures;
    private final ArtifactQueries artifactQueries;
    private final FindingsIntake intake;
    private final DSLContext db;
    private final Clock clock;

    PolicyEvaluation(Catalog catalog, ArtifactFigures artifactFigures, ArtifactQueries artifactQueries, FindingsIntake intake,
            DSLContext db, Clock clock) {
        this.catalog = catalog;
        this.artifactFigures = artifactFigures;
        this.artifactQueries = artifactQueries;
        this.intake = intake;
        this.db = db;
        this.clock = clock;
    }

    /** What one run changed. */
    public record Outcome(int violationsSeen, int created, int reopened, int fixed) {
    }

    public Outcome evaluate() {
        Instant now = clock.instant();
        Map<String, ServiceSummary> services = new LinkedHashMap<>();
        catalog.services().forEach(s -> services.put(s.name(), s));
        Set<String> seen = new HashSet<>();
        int created = 0;
        int reopened = 0;
        for (ServiceSummary service : services.values()) {
            for (PolicyViolation violation : violationsOf(service, now)) {
                var result = intake.reportPolicy(violation);
                seen.add(key(violation.serviceName(), violation.policy().slug(), violation.subject()));
                created += result.created() ? 1 : 0;
                reopened += result.reopened() ? 1 : 0;
            }
        }
        int fixed = 0;
        for (var open : openEvaluatedFindings()) {
            String service = open.value1();
            if (!seen.contains(key(service, open.value2(), open.value3()))
                    && intake.resolvePolicy(service, Policy.parse(open.value2()), open.value3(), REPORTED_BY, now)) {
                fixed++;
            }
        }
        return new Outcome(seen.size(), created, reopened, fixed);
    }

    private List<PolicyViolation> violationsOf(ServiceSummary service, Instant now) {
        List<PolicyViolation> violations = new java.util.ArrayList<>();
        if (service.operated() && !service.owned()) {
            String missing = service.owningTeam() == null ? "no owning team in the catalog" : "no escalation contact or on-call rotation";
            violations.add(new PolicyViolation(service.name(), Policy.NO_OWNER, service.name(), Severity.MEDIUM,
                    "No owner: " + service.name(), "The service has " + missing + ".", REPORTED_BY, now));
        }
        if (service.artifactRepositories().isEmpty()) {
            return violations;
        }
        Duration window = artifactFigures.defaultWindow();
        for (ArtifactCoverage artifact : artifactFigures.scope(window, null, service.name())) {
            String name = artifact.repositories().isEmpty() ? artifact.digest()
                    : artifact.repositories().get(0) + "@" + artifact.digest();
            if (artifact.signatureStatus() == null) {
                violations.add(violation(service, Policy.UNSIGNED_ARTIFACT, artifact.digest(), Severity.HIGH, name,
                        "No signature was found for " + name + ".", now));
            } else if (!artifact.signed()) {
                violations.add(violation(service, Policy.UNVERIFIED_SIGNATURE, artifact.digest(), Severity.HIGH, name,
                        "Signatures of " + name + " are present but none verified against a trusted key (best status: "
                                + artifact.signatureStatus() + ").", now));
            }
            if (!artifact.sbom()) {
                violations.add(violation(service, Policy.MISSING_SBOM, artifact.digest(), Severity.MEDIUM, name,
                        "No SBOM was ingested for " + name + ".", now));
            }
            if (!artifact.scanned()) {
                violations.add(violation(service, Policy.STALE_SCAN, artifact.digest(), Severity.MEDIUM, name,
                        (artifact.lastScannedAt() == null ? "No scan of " + name + " was ever ingested"
                                : "The newest scan of " + name + " ran at " + artifact.lastScannedAt())
                                + "; scans count for " + artifactFigures.scanFreshness().toDays() + " days.", now));
            }
            licenceViolations(service, artifact.digest(), name, now, violations);
        }
        return violations;
    }

    private void licenceViolations(ServiceSummary service, String digest, String name, Instant now, List<PolicyViolation> into) {
        ArtifactDetail detail = artifactQueries.detail(digest).orElse(null);
        if (detail == null) {
            return;
        }
        for (ArtifactDetail.SbomView sbom : detail.sboms()) {
            for (ArtifactDetail.LicenseViolation v : sbom.violations()) {
                String component = v.component() + (v.version() == null ? "" : "@" + v.version());
                into.add(new PolicyViolation(service.name(), Policy.DISALLOWED_LICENSE, digest + " " + component + " " + v.offending(),
                        Severity.HIGH, "Disallowed license " + v.offending() + " in " + component,
                        component + " in " + name + " is licensed " + v.license() + ", which the licence policy disallows ("
                                + v.rule() + ").", REPORTED_BY, now));
            }
        }
    }

    private static PolicyViolation violation(ServiceSummary service, Policy policy, String digest, Severity severity, String name,
            String detail, Instant now) {
        return new PolicyViolation(service.name(), policy, digest, severity, policy.title() + ": " + name, detail, REPORTED_BY, now);
    }

    private List<org.jooq.Record3<String, String, String>> openEvaluatedFindings() {
        return db.select(FINDING.SERVICE_NAME, FINDING.RULE_ID, FINDING.SUBJECT).from(FINDING)
                .where(FINDING.SOURCE.eq(FindingSource.POLICY.slug()))
                .and(FINDING.RULE_ID.in(EVALUATED.stream().map(Policy::slug).toList()))
                .and(FINDING.STATUS.notIn(FindingStatus.FIXED.slug(), FindingStatus.FALSE_POSITIVE.slug()))
                .orderBy(FINDING.ID).fetch();
    }

    private static String key(String service, String policy, String subject) {
        return service + '\0' + policy + '\0' + subject;
    }
}
