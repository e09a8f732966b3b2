package dev.assay;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route the application maps, read from its own handler mappings (so a new route cannot
 * escape the suites that walk them), with path variables filled in with values that name nothing;
 * plus a static asset and the Prometheus endpoint.
 */
public final class MappedRoutes {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}/]+)}");

    private MappedRoutes() {
    }

    public record Route(HttpMethod method, String path) implements Comparable<Route> {
        @Override
        public int compareTo(Route other) {
            return (path + method).compareTo(other.path + other.method);
        }

        public boolean api() {
            return path.startsWith("/api/v1/");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    public static Set<Route> of(RequestMappingHandlerMapping mappings) {
        Set<Route> routes = new TreeSet<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            Set<HttpMethod> httpMethods = new TreeSet<>((a, b) -> a.name().compareTo(b.name()));
            if (methods.isEmpty()) {
                httpMethods.add(HttpMethod.GET);
                httpMethods.add(HttpMethod.POST);
            } else {
                methods.forEach(m -> httpMethods.add(HttpMethod.valueOf(m.name())));
            }
            for (String pattern : info.getPatternValues()) {
                if (pattern.equals("/error") || pattern.equals("/logout")) {
                    continue;
                }
                for (HttpMethod method : httpMethods) {
                    routes.add(new Route(method, concrete(pattern)));
                }
            }
        }
        routes.add(new Route(HttpMethod.GET, "/css/assay.css"));
        routes.add(new Route(HttpMethod.GET, "/actuator/prometheus"));
        return routes;
    }

    static String concrete(String pattern) {
        Matcher matcher = VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1).replaceAll(":.*", "");
            String value = switch (name) {
                case "kind" -> "sbom";
                case "metric" -> "ownership-coverage";
                case "digest" -> "sha256:0000000000000000000000000000000000000000000000000000000000000000";
                default -> name.toLowerCase().endsWith("id") || name.equals("n") || name.equals("step") || name.equals("position")
                        ? "999999" : "no-such-" + name;
            };
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString().replace("/**", "/x");
    }
}
