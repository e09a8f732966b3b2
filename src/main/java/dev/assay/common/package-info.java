/**
 * Shared kernel: small types every feature may use (paged answers, CSV, audit events, clock).
 * It depends on no feature.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.assay.common;
