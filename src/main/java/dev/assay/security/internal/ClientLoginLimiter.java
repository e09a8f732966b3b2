package dev.assay.security.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Counts failed logins per client address across all accounts, and refuses an address that
 * reached {@code assay.security.client-max-failures} until its window ends. The per-account lock
 * cannot see one password tried against many accounts; this can.
 * <p>
 * In memory and per instance on purpose: it is a brake on guessing, not a record (the audit log is
 * the record). The map is bounded (least recently seen addresses are forgotten first), so a flood of
 * spoofed addresses costs a fixed amount of memory.
 */
@Component
public class ClientLoginLimiter {

    private final SecuritySettings settings;
    private final Clock clock;
    private final Map<String, Window> windows;

    ClientLoginLimiter(SecuritySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        int max = settings.clientTrackedMax();
        this.windows = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > max;
            }
        };
    }

    public synchronized boolean isBlocked(String client) {
        Window window = current(client);
        return window != null && window.failures() >= settings.clientMaxFailures();
    }

    public synchronized void recordFailure(String client) {
        Window window = current(client);
        windows.put(client, window == null ? new Window(clock.instant(), 1) : window.plusOne());
    }

    private Window current(String client) {
        Window window = windows.get(client);
        if (window != null && !clock.instant().isBefore(window.start().plus(settings.clientWindow()))) {
            windows.remove(client);
            return null;
        }
        return window;
    }

    private record Window(Instant start, int failures) {

        Window plusOne() {
            return new Window(start, failures + 1);
        }
    }
}
