package dev.assay.catalog;

import java.util.List;
import java.util.Map;

/** A service page: the summary, every upstream link, and what CODEOWNERS says about its repositories. */
public record ServiceDetail(ServiceSummary service, Map<String, List<String>> links, List<CodeownersOwner> codeowners,
        String manualEscalation) {

    public record CodeownersOwner(String repository, String owners, String team) {
    }
}
