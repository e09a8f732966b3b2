package dev.assay.builds.internal.collect;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import dev.assay.builds.internal.JenkinsBuildMapper;
import dev.assay.builds.internal.JenkinsBuildMapper.JenkinsJob;
import dev.assay.collect.Cursors;
import dev.assay.collect.http.PageFetcher;
import tools.jackson.databind.JsonNode;

/**
 * Reads the builds of each configured Jenkins job ({@code folder/job} → {@code /job/folder/job/job/})
 * with one request per job: {@code GET <job>/api/json?tree=...} asking only for the fields Assay
 * stores, the newest {@code max-builds} builds (default 100). A folder or multibranch project (a job
 * with {@code jobs}) is read by reading its jobs, at most {@value #MAX_DEPTH} levels down; the
 * branch jobs of a multibranch project carry their branch and are also mapped by the project's name.
 * Jenkins has no "changed since" filter: unchanged builds are read again and write nothing.
 */
class JenkinsBuildReader extends RunListReader {

    static final int MAX_DEPTH = 4;
    private static final String BUILD_FIELDS = "number,result,timestamp,duration,url,building,"
            + "actions[_class,lastBuiltRevision[SHA1,branch[name]],causes[_class,shortDescription,userId,userName]],"
            + "changeSets[items[commitId]]";

    private record Target(JenkinsJob job, List<String> names, int depth) {
    }

    private final PageFetcher pages;
    private final int maxBuilds;
    private final Deque<Target> targets = new ArrayDeque<>();

    JenkinsBuildReader(String sourceId, PageFetcher pages, List<String> jobs, Cursors cursors, int maxBuilds) {
        super(sourceId, cursors);
        this.pages = pages;
        this.maxBuilds = maxBuilds;
        for (String job : jobs) {
            List<String> names = List.of(job.strip().replaceAll("^/+|/+$", "").split("/+"));
            if (names.isEmpty() || names.get(0).isBlank()) {
                throw new IllegalArgumentException("Source '" + sourceId + "': job '" + job + "' names no job");
            }
            targets.add(new Target(new JenkinsJob(String.join("/", names), null, null), names, 0));
        }
    }

    @Override
    protected boolean fetchMore() {
        Target target = targets.poll();
        if (target == null) {
            return false;
        }
        StringBuilder path = new StringBuilder();
        target.names().forEach(name -> path.append("job/").append(encode(name)).append('/'));
        String tree = "_class,name,jobs[name,_class],builds[" + BUILD_FIELDS + "]{0," + maxBuilds + "}";
        JsonNode job = pages.page(pages.client().resolve(path + "api/json?tree=" + encode(tree)), Map.of(), "jenkins-job",
                JsonNode::isObject, "a Jenkins job object");
        String jobClass = job.path("_class").isString() ? job.path("_class").asString() : "";
        boolean multibranch = jobClass.contains("MultiBranchProject");
        if (job.path("jobs").isArray() && target.depth() < MAX_DEPTH) {
            for (JsonNode child : job.path("jobs")) {
                if (!child.path("name").isString()) {
                    continue;
                }
                String name = child.path("name").asString();
                List<String> names = new java.util.ArrayList<>(target.names());
                names.add(name);
                JenkinsJob childJob = new JenkinsJob(target.job().fullName() + "/" + name,
                        multibranch ? target.job().fullName() : null,
                        multibranch ? URLDecoder.decode(name, StandardCharsets.UTF_8) : null);
                targets.add(new Target(childJob, List.copyOf(names), target.depth() + 1));
            }
        }
        int position = 0;
        for (JsonNode build : job.path("builds")) {
            position++;
            JenkinsJob where = target.job();
            add(new CollectedRun(sourceId, "jenkins-build", "GET /" + path + "api/json #" + position
                    + idSuffix(build, "number"), build, doc -> JenkinsBuildMapper.map(sourceId, doc, where), null, null,
                    Map.of()));
        }
        return true;
    }
}
