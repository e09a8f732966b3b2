package dev.assay.collect.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.assay.collect.SourceDefinition;

/**
 * Makes the {@link UpstreamClient} of a source. The credential is read from the environment
 * variable the source names in {@code token-env} (a Spring property of that name works too, which
 * is how tests supply one); a source that names a variable which is not set fails clearly.
 */
@Component
public class UpstreamClients {

    private final UpstreamSettings settings;
    private final Environment environment;
    private final Clock clock;
    private final Sleeper sleeper;
    private final HttpClient http;

    UpstreamClients(UpstreamSettings settings, Environment environment, Clock clock,
            org.springframework.beans.factory.ObjectProvider<Sleeper> sleeper) {
        this.settings = settings;
        this.environment = environment;
        this.clock = clock;
        this.sleeper = sleeper.getIfAvailable(() -> Sleeper.REAL);
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public UpstreamClient forSource(SourceDefinition source, UpstreamAuth auth) {
        if (source.baseUrl() == null || source.baseUrl().isBlank()) {
            throw new IllegalStateException("Source '" + source.id() + "' has no base-url");
        }
        String secret = null;
        if (source.tokenEnv() != null && !source.tokenEnv().isBlank()) {
            secret = environment.getProperty(source.tokenEnv());
            if (secret == null || secret.isBlank()) {
                throw new IllegalStateException("Source '" + source.id() + "' names token-env " + source.tokenEnv()
                        + ", but that environment variable is not set");
            }
        }
        return new UpstreamClient(source.id(), URI.create(source.baseUrl()), auth, secret, http, settings, sleeper, clock);
    }
}
