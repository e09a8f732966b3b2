package dev.assay.artifacts.internal;

import java.net.URI;
import java.util.List;

import dev.assay.collect.SourceDefinition;

/**
 * How a registry source names its repositories: the catalog's {@code assay.dev/image-repositories}
 * annotation writes {@code <registry host>/<name>} (with the port when there is one), the registry
 * API speaks of {@code <name>} alone.
 */
public final class OciRepositories {

    private OciRepositories() {
    }

    /** {@code registry.example.com[:port]} of a source's base-url. */
    public static String host(SourceDefinition source) {
        URI uri = URI.create(source.baseUrl());
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    public static String qualified(SourceDefinition source, String name) {
        return host(source) + "/" + name;
    }

    /** The qualified repositories a registry source is configured with (empty: it lists the catalog). */
    public static List<String> configured(SourceDefinition source) {
        return source.listOption("repositories").stream().map(name -> qualified(source, strip(name))).toList();
    }

    /** Names may be written with the registry host already in front; the API wants the bare name. */
    public static String strip(String name) {
        return name.replaceAll("^/+", "");
    }
}
