package dev.assay.common;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the layout needs on every page. Thymeleaf 3.1 no longer exposes the request to templates,
 * so the current path (for the navigation's "you are here") is handed over as a model attribute.
 */
@ControllerAdvice
class PortalModel {

    @ModelAttribute("currentPath")
    String currentPath(HttpServletRequest request) {
        return request.getRequestURI();
    }
}
