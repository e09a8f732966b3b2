package dev.assay.catalog;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.assay.catalog.internal.CatalogStore;
import dev.assay.catalog.internal.CodeownersFile;
import dev.assay.catalog.internal.CodeownersParser;
import dev.assay.collect.FileFormat;
import dev.assay.collect.RecordRejectedException;

/**
 * CODEOWNERS files as a {@code files} source format. The repository is read from the file's path:
 * the two folders above it, skipping {@code .github}, {@code .gitlab} and {@code docs} (where GitHub
 * and GitLab look for the file), e.g. {@code codeowners/acme/payments-api/.github/CODEOWNERS} is
 * the CODEOWNERS of {@code acme/payments-api}.
 */
@Component
class CodeownersFormat implements FileFormat<CodeownersFile> {

    private final CodeownersParser parser = new CodeownersParser();
    private final CatalogStore store;

    CodeownersFormat(CatalogStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "codeowners";
    }

    @Override
    public boolean recognises(String fileName, String content) {
        return fileName.equals("CODEOWNERS");
    }

    @Override
    public CodeownersFile parse(String document, String fileName, String location) throws RecordRejectedException {
        return parser.parse(document, repositoryOf(location));
    }

    @Override
    public void store(String sourceId, List<CodeownersFile> records) {
        records.forEach(file -> store.storeCodeowners(sourceId, file));
    }

    static String repositoryOf(String location) throws RecordRejectedException {
        String[] parts = location.split("/");
        int end = parts.length - 1;
        while (end > 0 && List.of(".github", ".gitlab", "docs").contains(parts[end - 1])) {
            end--;
        }
        if (end < 2) {
            throw new RecordRejectedException("cannot tell the repository of " + location
                    + ": place the file at <owner>/<repository>/CODEOWNERS");
        }
        return parts[end - 2] + "/" + parts[end - 1];
    }
}
