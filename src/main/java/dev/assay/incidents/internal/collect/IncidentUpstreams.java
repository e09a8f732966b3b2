package dev.assay.incidents.internal.collect;

import java.net.URI;

import org.springframework.stereotype.Component;

import dev.assay.collect.SourceDefinition;
import dev.assay.collect.http.UpstreamAuth;
import dev.assay.collect.http.UpstreamClient;
import dev.assay.collect.http.UpstreamClients;
import dev.assay.incidents.internal.replay.ReplayUpstreams;

/**
 * The HTTP client of an incident source. A source whose {@code base-url} is
 * {@code replay:<folder>} (the demo) is served from recorded upstream answers by a loopback server
 * ({@link ReplayUpstreams}): the collector then runs exactly as against the real API, paging,
 * retries and mapping included.
 */
@Component
public class IncidentUpstreams {

    public static final String REPLAY_SCHEME = "replay:";

    private final UpstreamClients clients;
    private final ReplayUpstreams replays;

    IncidentUpstreams(UpstreamClients clients, ReplayUpstreams replays) {
        this.clients = clients;
        this.replays = replays;
    }

    /** The source as the collector talks to it: a replayed source gets its loopback base URL. */
    public SourceDefinition effective(SourceDefinition source) {
        if (!isReplay(source)) {
            return source;
        }
        URI served = replays.serve(source, source.baseUrl().substring(REPLAY_SCHEME.length()));
        return new SourceDefinition(source.id(), source.type(), served.toString(), source.tokenEnv(), source.schedule(),
                source.options(), source.baseLocation());
    }

    public UpstreamClient client(SourceDefinition effective, UpstreamAuth auth) {
        return clients.forSource(effective, auth);
    }

    public static boolean isReplay(SourceDefinition source) {
        return source.baseUrl() != null && source.baseUrl().startsWith(REPLAY_SCHEME);
    }

    /**
     * The web address incidents link to: the {@code ui-url} option, else the base URL, and never
     * the loopback address of a replay.
     */
    public static String uiUrl(SourceDefinition configured) {
        Object ui = configured.options().get("ui-url");
        if (ui != null) {
            return String.valueOf(ui);
        }
        return isReplay(configured) ? null : configured.baseUrl();
    }
}
