package dev.assay.security.internal;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.assay.common.PageRequest;
import dev.assay.common.PageResult;
import dev.assay.security.AuditEntry;
import dev.assay.security.AuditLog;

/** Admin page for the audit log: newest first, filtered by actor and/or entity type, paged. */
@Controller
class AuditAdminController {

    /** An audit line with its time in UTC, ready for the page. */
    record AuditRow(long id, OffsetDateTime occurredAt, String actor, String action, String entityType,
            String entityId, String before, String after) {

        static AuditRow of(AuditEntry e) {
            return new AuditRow(e.id(), OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC), e.actor(), e.action(),
                    e.entityType(), e.entityId(), e.before(), e.after());
        }
    }

    private final AuditLog audit;

    AuditAdminController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/admin/audit")
    String list(@RequestParam(required = false) String actor, @RequestParam(required = false) String entityType,
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size, Model model) {
        PageResult<AuditRow> result = audit.list(actor, entityType, PageRequest.of(page, size)).map(AuditRow::of);
        long pages = result.total() == 0 ? 1 : (result.total() + result.size() - 1) / result.size();
        model.addAttribute("result", result);
        model.addAttribute("pages", pages);
        model.addAttribute("actor", actor == null ? "" : actor);
        model.addAttribute("entityType", entityType == null ? "" : entityType);
        model.addAttribute("entityTypes", audit.entityTypes());
        return "security/audit";
    }
}
