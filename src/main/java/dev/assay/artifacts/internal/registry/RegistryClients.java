package dev.assay.artifacts.internal.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.assay.collect.SourceDefinition;
import dev.assay.collect.http.Sleeper;
import dev.assay.collect.http.UpstreamSettings;
import dev.assay.common.UntrustedJson;

/**
 * Makes the registry client of a source. The credential is the value of the environment variable
 * named by {@code token-env} (a Spring property of that name works too): {@code user:password}, used
 * for Basic auth and for the token service. A named variable that is not set fails clearly.
 */
@Component
public class RegistryClients {

    private final UpstreamSettings settings;
    private final Environment environment;
    private final Clock clock;
    private final Sleeper sleeper;
    private final UntrustedJson json;
    private final HttpClient http;

    RegistryClients(UpstreamSettings settings, Environment environment, Clock clock, ObjectProvider<Sleeper> sleeper,
            UntrustedJson json) {
        this.settings = settings;
        this.environment = environment;
        this.clock = clock;
        this.sleeper = sleeper.getIfAvailable(() -> Sleeper.REAL);
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public RegistryClient forSource(SourceDefinition source) {
        if (source.baseUrl() == null || source.baseUrl().isBlank()) {
            throw new IllegalStateException("Source '" + source.id() + "' has no base-url");
        }
        String credentials = null;
        if (source.tokenEnv() != null && !source.tokenEnv().isBlank()) {
            credentials = environment.getProperty(source.tokenEnv());
            if (credentials == null || credentials.isBlank()) {
                throw new IllegalStateException("Source '" + source.id() + "' names token-env " + source.tokenEnv()
                        + ", but that environment variable is not set");
            }
            if (!credentials.contains(":")) {
                throw new IllegalStateException("Source '" + source.id() + "': the variable " + source.tokenEnv()
                        + " must hold user:password (or user:token) for the registry");
            }
        }
        return new RegistryClient(source.id(), URI.create(source.baseUrl()), credentials, http, settings, sleeper, clock, json);
    }
}
