package dev.assay.catalog;

import static dev.assay.catalog.internal.db.Tables.CATALOG_PERSON;
import static dev.assay.catalog.internal.db.Tables.REPOSITORY_DEFAULT_OWNER;
import static dev.assay.catalog.internal.db.Tables.SERVICE;
import static dev.assay.catalog.internal.db.Tables.SERVICE_LINK;
import static dev.assay.catalog.internal.db.Tables.TEAM;
import static dev.assay.catalog.internal.db.Tables.TEAM_MEMBER;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.assay.catalog.internal.db.tables.records.ServiceRecord;
import dev.assay.catalog.internal.db.tables.records.TeamRecord;
import dev.assay.common.KeyPairsIn;
import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;

/**
 * Reads the catalog: teams, services, who owns what, and the ownership-coverage figure. Other
 * features find services through this class (e.g. by an upstream link), never through its tables.
 */
@Service
@Transactional(readOnly = true)
public class Catalog {

    private static final Set<String> SOURCE_LINK_KINDS = Set.of("github", "gitlab", "gitlab-id", "jenkins", "source-location");

    private final DSLContext db;

    Catalog(DSLContext db) {
        this.db = db;
    }

    /** The names of every service (cheap: for resolving names, where {@link #services()} would read links and owners too). */
    public Set<String> serviceNames() {
        return Set.copyOf(db.select(SERVICE.NAME).from(SERVICE).fetch(SERVICE.NAME));
    }

    /** Which of these names are catalog services: one indexed query, whatever the catalog's size. */
    public Set<String> existingServiceNames(Collection<String> names) {
        if (names.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(db.select(SERVICE.NAME).from(SERVICE).where(SERVICE.NAME.in(names)).fetch(SERVICE.NAME));
    }

    /** Every service, with ownership resolved, sorted by name. */
    public List<ServiceSummary> services() {
        Set<String> teams = Set.copyOf(db.select(TEAM.NAME).from(TEAM).fetch(TEAM.NAME));
        Map<Long, Map<String, List<String>>> links = linksByService();
        Map<String, String> codeownersTeams = db.select(REPOSITORY_DEFAULT_OWNER.REPOSITORY, REPOSITORY_DEFAULT_OWNER.TEAM_NAME)
                .from(REPOSITORY_DEFAULT_OWNER).where(REPOSITORY_DEFAULT_OWNER.TEAM_NAME.isNotNull())
                .fetchMap(REPOSITORY_DEFAULT_OWNER.REPOSITORY, REPOSITORY_DEFAULT_OWNER.TEAM_NAME);
        return db.selectFrom(SERVICE).orderBy(SERVICE.NAME).fetch().stream()
                .map(s -> summarise(s, links.getOrDefault(s.getId(), Map.of()), teams, codeownersTeams))
                .toList();
    }

    /**
     * The named services that are in the catalog, with ownership resolved as {@link #services()}
     * resolves it, sorted by name: indexed queries over those services only, whatever the catalog's
     * size (for per-request checks of a few services).
     */
    public List<ServiceSummary> servicesNamed(Collection<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<ServiceRecord> records = db.selectFrom(SERVICE).where(SERVICE.NAME.in(names)).orderBy(SERVICE.NAME).fetch();
        if (records.isEmpty()) {
            return List.of();
        }
        Map<Long, Map<String, List<String>>> links =
                linksByService(SERVICE_LINK.SERVICE_ID.in(records.stream().map(ServiceRecord::getId).toList()));
        List<String> repositories = links.values().stream()
                .flatMap(byKind -> Stream.of("github", "gitlab").flatMap(k -> byKind.getOrDefault(k, List.of()).stream()))
                .distinct().toList();
        Map<String, String> codeownersTeams = repositories.isEmpty() ? Map.of()
                : db.select(REPOSITORY_DEFAULT_OWNER.REPOSITORY, REPOSITORY_DEFAULT_OWNER.TEAM_NAME).from(REPOSITORY_DEFAULT_OWNER)
                        .where(REPOSITORY_DEFAULT_OWNER.REPOSITORY.in(repositories)).and(REPOSITORY_DEFAULT_OWNER.TEAM_NAME.isNotNull())
                        .fetchMap(REPOSITORY_DEFAULT_OWNER.REPOSITORY, REPOSITORY_DEFAULT_OWNER.TEAM_NAME);
        Set<String> candidateTeams = new TreeSet<>(codeownersTeams.values());
        records.stream().map(ServiceRecord::getOwnerName).filter(Objects::nonNull).forEach(candidateTeams::add);
        Set<String> teams = Set.copyOf(db.select(TEAM.NAME).from(TEAM).where(TEAM.NAME.in(candidateTeams)).fetch(TEAM.NAME));
        return records.stream().map(r -> summarise(r, links.getOrDefault(r.getId(), Map.of()), teams, codeownersTeams)).toList();
    }

    /**
     * The names of the services whose owning team (as {@link #services()} resolves it) is one of
     * these: the services the catalog says they own, and those owned through a repository's
     * CODEOWNERS, found by index and then resolved with {@link #servicesNamed}.
     */
    public Set<String> serviceNamesOwnedBy(Collection<String> teams) {
        if (teams.isEmpty()) {
            return Set.of();
        }
        Set<String> candidates = new TreeSet<>(
                db.select(SERVICE.NAME).from(SERVICE).where(SERVICE.OWNER_NAME.in(teams)).fetch(SERVICE.NAME));
        candidates.addAll(db.selectDistinct(SERVICE.NAME).from(SERVICE)
                .join(SERVICE_LINK).on(SERVICE_LINK.SERVICE_ID.eq(SERVICE.ID))
                .join(REPOSITORY_DEFAULT_OWNER).on(REPOSITORY_DEFAULT_OWNER.REPOSITORY.eq(SERVICE_LINK.LINK_VALUE))
                .where(SERVICE_LINK.KIND.in("github", "gitlab")).and(REPOSITORY_DEFAULT_OWNER.TEAM_NAME.in(teams))
                .fetch(SERVICE.NAME));
        Set<String> owned = new TreeSet<>();
        servicesNamed(candidates).stream().filter(s -> s.owningTeam() != null && teams.contains(s.owningTeam()))
                .forEach(s -> owned.add(s.name()));
        return owned;
    }

    public PageResult<ServiceSummary> services(String team, String service, String source, PageRequest page) {
        List<ServiceSummary> matching = services().stream()
                .filter(s -> team == null || team.isBlank() || team.equals(s.owningTeam()))
                .filter(s -> service == null || service.isBlank() || service.equals(s.name()))
                .filter(s -> source == null || source.isBlank() || source.equals(s.sourceId()))
                .toList();
        return page(matching, page);
    }

    /** One service, read on its own (its links, its CODEOWNERS entries): cheap enough to call per request or per document. */
    public Optional<ServiceDetail> service(String name) {
        ServiceRecord record = db.selectFrom(SERVICE).where(SERVICE.NAME.eq(name)).fetchOne();
        if (record == null) {
            return Optional.empty();
        }
        Map<String, List<String>> links = linksOf(record.getId());
        List<String> repositories = new ArrayList<>();
        links.getOrDefault("github", List.of()).forEach(repositories::add);
        links.getOrDefault("gitlab", List.of()).forEach(repositories::add);
        List<ServiceDetail.CodeownersOwner> codeowners = db.selectFrom(REPOSITORY_DEFAULT_OWNER)
                .where(REPOSITORY_DEFAULT_OWNER.REPOSITORY.in(repositories))
                .orderBy(REPOSITORY_DEFAULT_OWNER.REPOSITORY)
                .fetch(r -> new ServiceDetail.CodeownersOwner(r.getRepository(), r.getOwners(), r.getTeamName()));
        Map<String, String> codeownersTeams = new HashMap<>();
        codeowners.stream().filter(c -> c.team() != null).forEach(c -> codeownersTeams.put(c.repository(), c.team()));
        List<String> candidateTeams = new ArrayList<>(codeownersTeams.values());
        if (record.getOwnerName() != null) {
            candidateTeams.add(record.getOwnerName());
        }
        Set<String> teams = Set.copyOf(db.select(TEAM.NAME).from(TEAM).where(TEAM.NAME.in(candidateTeams)).fetch(TEAM.NAME));
        ServiceSummary summary = summarise(record, links, teams, codeownersTeams);
        return Optional.of(new ServiceDetail(summary, links, codeowners, record.getManualEscalation()));
    }

    /** The services linked to an upstream thing, e.g. {@code ("github", "acme/payments-api")}. */
    public List<String> serviceNamesByLink(String kind, String value) {
        return db.selectDistinct(SERVICE.NAME).from(SERVICE_LINK).join(SERVICE).on(SERVICE.ID.eq(SERVICE_LINK.SERVICE_ID))
                .where(SERVICE_LINK.KIND.eq(kind).and(SERVICE_LINK.LINK_VALUE.eq(value)))
                .orderBy(SERVICE.NAME).fetch(SERVICE.NAME);
    }

    /**
     * The services linked to each of several upstream things of one kind, in one query: values
     * without a linked service are absent from the answer.
     */
    public Map<String, List<String>> serviceNamesByLinks(String kind, Collection<String> values) {
        Map<String, List<String>> names = new HashMap<>();
        if (values.isEmpty()) {
            return names;
        }
        db.selectDistinct(SERVICE_LINK.LINK_VALUE, SERVICE.NAME).from(SERVICE_LINK).join(SERVICE)
                .on(SERVICE.ID.eq(SERVICE_LINK.SERVICE_ID))
                                .where(KeyPairsIn.of(db, SERVICE_LINK.KIND, kind, SERVICE_LINK.LINK_VALUE, values))
                .orderBy(SERVICE_LINK.LINK_VALUE, SERVICE.NAME)
                .forEach(r -> names.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value2()));
        return names;
    }

    public List<TeamSummary> teams() {
        List<ServiceSummary> services = services();
        Map<String, Integer> members = db.select(TEAM_MEMBER.TEAM_NAME, org.jooq.impl.DSL.countDistinct(TEAM_MEMBER.USERNAME))
                .from(TEAM_MEMBER).groupBy(TEAM_MEMBER.TEAM_NAME)
                .fetchMap(r -> r.value1(), r -> r.value2());
        return db.selectFrom(TEAM).orderBy(TEAM.NAME).fetch(t -> toSummary(t, services, members));
    }

    /** Every team's name and title, by name: one small query (no services, no members). */
    public List<TeamName> teamNames() {
        return db.select(TEAM.NAME, TEAM.TITLE).from(TEAM).orderBy(TEAM.NAME).fetch(r -> new TeamName(r.value1(), r.value2()));
    }

    /** Whether a team of that name is in the catalog: one indexed query. */
    public boolean hasTeam(String name) {
        return db.fetchExists(TEAM, TEAM.NAME.eq(name));
    }

    /** Whether a service of that name is in the catalog: one indexed query. */
    public boolean hasService(String name) {
        return db.fetchExists(SERVICE, SERVICE.NAME.eq(name));
    }

    public PageResult<TeamSummary> teams(String team, PageRequest page) {
        List<TeamSummary> matching = teams().stream().filter(t -> team == null || team.isBlank() || team.equals(t.name()))
                .toList();
        return page(matching, page);
    }

    public Optional<TeamDetail> team(String name) {
        TeamRecord team = db.selectFrom(TEAM).where(TEAM.NAME.eq(name)).fetchOne();
        if (team == null) {
            return Optional.empty();
        }
        List<ServiceSummary> services = services();
        Map<String, Integer> memberCounts = Map.of(name, db.fetchCount(db.selectDistinct(TEAM_MEMBER.USERNAME)
                .from(TEAM_MEMBER).where(TEAM_MEMBER.TEAM_NAME.eq(name))));
        Map<String, TeamDetail.Member> members = new TreeMap<>();
        db.select(TEAM_MEMBER.USERNAME, TEAM_MEMBER.ORIGIN, CATALOG_PERSON.DISPLAY_NAME, CATALOG_PERSON.EMAIL)
                .from(TEAM_MEMBER).leftJoin(CATALOG_PERSON).on(CATALOG_PERSON.NAME.eq(TEAM_MEMBER.USERNAME))
                .where(TEAM_MEMBER.TEAM_NAME.eq(name))
                .forEach(r -> members.merge(r.value1(), new TeamDetail.Member(r.value1(), r.value3(), r.value4(), r.value2()),
                        (a, b) -> a.origin().equals(TeamMembership.ORIGIN_CATALOG) ? a : b));
        return Optional.of(new TeamDetail(toSummary(team, services, memberCounts), List.copyOf(members.values()),
                services.stream().filter(s -> name.equals(s.owningTeam())).toList()));
    }

    /**
     * Ownership coverage (DESIGN §5): operated services (not libraries) with an owning team and an
     * escalation contact, over all operated services; for one team or service when given.
     */
    public Ratio ownershipCoverage(String team, String service) {
        return ownershipCoverage(new FigureScope(team, service), services());
    }

    /** Ownership coverage of many scopes at once, each equal to {@link #ownershipCoverage(String, String)}; one catalog read. */
    public Map<FigureScope, Ratio> ownershipCoverageByScope(List<FigureScope> scopes) {
        List<ServiceSummary> services = services();
        Map<FigureScope, Ratio> figures = new LinkedHashMap<>();
        for (FigureScope scope : scopes) {
            figures.put(scope, ownershipCoverage(scope, services));
        }
        return figures;
    }

    private static Ratio ownershipCoverage(FigureScope filter, List<ServiceSummary> services) {
        String team = filter.team();
        String service = filter.service();
        long owned = 0;
        long operated = 0;
        for (ServiceSummary s : services) {
            if (s.operated() && (team == null || team.equals(s.owningTeam()) || team.equals(s.declaredOwner()))
                    && (service == null || service.equals(s.name()))) {
                operated++;
                if (s.owned()) {
                    owned++;
                }
            }
        }
        return new Ratio(owned, operated);
    }

    /** Operated services that fail ownership coverage, with what is missing. */
    public Map<ServiceSummary, String> ownershipGaps(String team) {
        Map<ServiceSummary, String> gaps = new LinkedHashMap<>();
        services().stream().filter(ServiceSummary::operated).filter(s -> !s.owned())
                .filter(s -> team == null || team.equals(s.owningTeam()) || team.equals(s.declaredOwner()))
                .forEach(s -> gaps.put(s, s.owningTeam() == null
                        ? (s.escalationContact() == null ? "no owning team and no escalation contact"
                                : "owner '" + s.declaredOwner() + "' is not a team in the catalog")
                        : "no escalation contact or on-call rotation"));
        return gaps;
    }

    private Map<String, List<String>> linksOf(long serviceId) {
        Map<String, List<String>> links = new TreeMap<>();
        db.selectFrom(SERVICE_LINK).where(SERVICE_LINK.SERVICE_ID.eq(serviceId))
                .orderBy(SERVICE_LINK.KIND, SERVICE_LINK.LINK_VALUE)
                .forEach(l -> links.computeIfAbsent(l.getKind(), k -> new ArrayList<>()).add(l.getLinkValue()));
        return links;
    }

    private Map<Long, Map<String, List<String>>> linksByService() {
        return linksByService(DSL.noCondition());
    }

    /** The links of the services matching {@code which}, by service id, then kind, in order. */
    private Map<Long, Map<String, List<String>>> linksByService(Condition which) {
        Map<Long, Map<String, List<String>>> links = new HashMap<>();
        db.selectFrom(SERVICE_LINK).where(which).orderBy(SERVICE_LINK.SERVICE_ID, SERVICE_LINK.KIND, SERVICE_LINK.LINK_VALUE)
                .forEach(l -> links.computeIfAbsent(l.getServiceId(), id -> new TreeMap<>())
                        .computeIfAbsent(l.getKind(), k -> new ArrayList<>()).add(l.getLinkValue()));
        return links;
    }

    private static ServiceSummary summarise(ServiceRecord s, Map<String, List<String>> links, Set<String> teams,
            Map<String, String> codeownersTeams) {
        String owningTeam = null;
        String evidence = null;
        if (s.getOwnerName() != null && teams.contains(s.getOwnerName())) {
            owningTeam = s.getOwnerName();
            evidence = "catalog";
        } else {
            for (String kind : List.of("github", "gitlab")) {
                for (String repository : links.getOrDefault(kind, List.of())) {
                    String team = codeownersTeams.get(repository);
                    if (owningTeam == null && team != null && teams.contains(team)) {
                        owningTeam = team;
                        evidence = "codeowners";
                    }
                }
            }
        }
        String escalation = s.getEscalationContact() != null ? s.getEscalationContact() : s.getManualEscalation();
        List<String> sourceRepositories = links.entrySet().stream().filter(e -> SOURCE_LINK_KINDS.contains(e.getKey()))
                .flatMap(e -> e.getValue().stream().map(v -> e.getKey() + ":" + v)).toList();
        return new ServiceSummary(s.getName(), s.getTitle(), s.getDescription(), s.getComponentType(), s.getTier(),
                s.getLifecycle(), s.getOwnerName(), owningTeam, evidence, s.getSystemName(), escalation,
                owningTeam != null && escalation != null, sourceRepositories, links.getOrDefault("oci", List.of()),
                s.getSourceId());
    }

    private static TeamSummary toSummary(TeamRecord t, List<ServiceSummary> services, Map<String, Integer> members) {
        List<ServiceSummary> owned = services.stream().filter(s -> t.getName().equals(s.owningTeam())).toList();
        List<ServiceSummary> operated = owned.stream().filter(ServiceSummary::operated).toList();
        return new TeamSummary(t.getName(), t.getTitle(), t.getDescription(), t.getEmail(), t.getParentName(),
                owned.size(), members.getOrDefault(t.getName(), 0),
                new Ratio(operated.stream().filter(ServiceSummary::owned).count(), operated.size()));
    }

    private static <T> PageResult<T> page(List<T> all, PageRequest page) {
        int from = Math.min(page.offset(), all.size());
        int to = Math.min(from + page.size(), all.size());
        return new PageResult<>(all.subList(from, to), all.size(), page.page(), page.size());
    }
}
