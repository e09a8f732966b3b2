package dev.assay.artifacts.internal.parse;

import java.util.List;

/**
 * A component (CycloneDX) or package (SPDX) of an SBOM.
 *
 * @param licenses each entry an SPDX id, a license name or an SPDX expression, as the document wrote it
 */
public record SbomComponentItem(String bomRef, String name, String version, String purl, String type, List<String> licenses) {
}
