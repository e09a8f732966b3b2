package dev.assay.common;

import java.util.List;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The CSV variant of a list endpoint: asked for with a {@code .csv} suffix or {@code Accept: text/csv}. */
public final class CsvNegotiation {

    public static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

    private CsvNegotiation() {
    }

    public static boolean wantsCsv(HttpServletRequest request) {
        if (request.getRequestURI().endsWith(".csv")) {
            return true;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.toLowerCase().contains("text/csv");
    }

    public static <T> ResponseEntity<String> csv(String fileName, List<String> header, List<T> items,
            Function<T, List<?>> row) {
        String body = Csv.render(header, items.stream().<List<?>>map(row).toList());
        return ResponseEntity.ok()
                .contentType(TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + ".csv\"")
                .body(body);
    }
}
