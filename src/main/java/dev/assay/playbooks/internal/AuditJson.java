package dev.assay.playbooks.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** Compact JSON for the before / after of an audit line. */
public final class AuditJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AuditJson() {
    }

    /** Alternating keys and values, in order; null values are kept as null. */
    public static String of(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
        }
        return JSON.writeValueAsString(map);
    }
}
