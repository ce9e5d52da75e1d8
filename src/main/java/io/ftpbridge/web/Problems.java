package io.ftpbridge.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.ProblemDetailJacksonMixin;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one writer of RFC 9457 problem details: builds them for {@link ProblemDetailsAdvice} and
 * writes them where Spring MVC does not (security entry points, Tomcat's error report).
 */
public final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder()
            .addMixIn(ProblemDetail.class, ProblemDetailJacksonMixin.class)
            .build();

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String title, String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    /** Writes a problem detail as the whole response (status, content type, body). */
    public static void write(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json(status, title, detail));
    }

    /** The JSON text of a problem detail without field errors. */
    public static String json(int status, String title, String detail) {
        return JSON.writeValueAsString(of(HttpStatusCode.valueOf(status), title, detail, List.of()));
    }
}
