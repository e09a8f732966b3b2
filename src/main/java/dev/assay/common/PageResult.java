package dev.assay.common;

import java.util.List;
import java.util.function.Function;

/** The answer of every paged list endpoint: {@code {"items": [...], "total", "page", "size"}}. */
public record PageResult<T>(List<T> items, long total, int page, int size) {

    public <R> PageResult<R> map(Function<T, R> mapper) {
        return new PageResult<>(items.stream().map(mapper).toList(), total, page, size);
    }
}
