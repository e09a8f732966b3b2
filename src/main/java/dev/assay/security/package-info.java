/**
 * Who may do what in Assay, and the record of what they did: users and roles, password and OIDC
 * login with throttling, API tokens, the HTTP security rules, and the append-only audit log.
 * Other features use {@link dev.assay.security.AuditLog} (or publish {@link dev.assay.common.AuditEvent}),
 * {@link dev.assay.security.Role} and {@link dev.assay.security.ApiScope}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"common", "catalog"})
package dev.assay.security;
