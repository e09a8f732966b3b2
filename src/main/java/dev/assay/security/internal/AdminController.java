package dev.assay.security.internal;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The admin index: where users, tokens, the audit log, jobs and quarantine are reached from. */
@Controller
class AdminController {

    @GetMapping("/admin")
    String index() {
        return "security/admin";
    }
}
