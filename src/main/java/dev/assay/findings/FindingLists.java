package dev.assay.findings;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

import dev.assay.common.PageRequest;
import dev.assay.findings.internal.DueFilter;
import dev.assay.findings.internal.FindingAccess.UserAccess;
import dev.assay.findings.internal.FindingFilter;
import dev.assay.findings.internal.FindingSearch;
import dev.assay.findings.internal.FindingSlice;
import dev.assay.findings.internal.FindingSort;

/** What the two list pages (the owner's queue and all findings) put in their model: one place, one look. */
@Component
class FindingLists {

    private final FindingSearch search;

    FindingLists(FindingSearch search) {
        this.search = search;
    }

    void populate(Model model, UserAccess me, FindingParams params, FindingFilter filter, String path, String csvPath,
            Collection<String> teams, Collection<String> services) {
        int size = PageRequest.of(0, params.size()).size();
        FindingSort sort = params.toSort();
        FindingSlice slice = search.slice(me, filter, sort, params.after(), size);
        model.addAttribute("params", params);
        model.addAttribute("slice", slice);
        model.addAttribute("summary", search.summary(me, filter));
        model.addAttribute("statusValue", params.statusValue(true));
        model.addAttribute("sortValue", sort.slug());
        model.addAttribute("teamOptions", List.copyOf(teams));
        model.addAttribute("serviceOptions", List.copyOf(services));
        model.addAttribute("severities", Arrays.stream(Severity.values()).map(Severity::slug).toList());
        model.addAttribute("statuses", Arrays.stream(FindingStatus.values()).map(FindingStatus::slug).toList());
        model.addAttribute("sources", Arrays.stream(FindingSource.values()).map(FindingSource::slug).toList());
        model.addAttribute("dues", Arrays.stream(DueFilter.values()).map(DueFilter::slug).toList());
        model.addAttribute("sorts", Arrays.stream(FindingSort.values()).map(FindingSort::slug).toList());
        model.addAttribute("nextUrl", slice.next() == null ? null
                : params.link(path, "after", slice.next(), "size", params.size() == null ? null : params.size().toString()));
        model.addAttribute("firstUrl", FindingParams.blank(params.after()) == null ? null
                : params.link(path, "size", params.size() == null ? null : params.size().toString()));
        model.addAttribute("csvUrl", params.link(csvPath));
        model.addAttribute("returnTo", params.link(path, "after", FindingParams.blank(params.after())));
        model.addAttribute("me", me.name());
        model.addAttribute("canChange", me.mayChangeAny());
    }
}
