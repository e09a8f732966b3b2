package dev.assay.builds.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.stereotype.Component;

import dev.assay.catalog.Catalog;

/**
 * Maps a run to catalog services through its links ({@code github.com/project-slug},
 * {@code gitlab.com/project-slug}, {@code gitlab.com/project-id}, {@code jenkins.io/job-full-name}).
 */
@Component
public class RunServices {

    private final Catalog catalog;

    RunServices(Catalog catalog) {
        this.catalog = catalog;
    }

    /** A lookup that remembers its answers: one per chunk, so a page of runs of one repository asks once. */
    public Lookup lookup() {
        return new Lookup();
    }

    public final class Lookup {

        private final Map<ServiceLink, List<String>> known = new HashMap<>();

        private Lookup() {
        }

        public List<String> services(List<ServiceLink> links) {
            TreeSet<String> names = new TreeSet<>();
            for (ServiceLink link : links) {
                names.addAll(known.computeIfAbsent(link, l -> catalog.serviceNamesByLink(l.kind(), l.value())));
            }
            return new ArrayList<>(names);
        }
    }
}
