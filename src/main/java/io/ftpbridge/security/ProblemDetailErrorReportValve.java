package io.ftpbridge.security;

import java.io.IOException;
import java.io.PrintWriter;
import io.ftpbridge.web.Problems;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's own error answer (a URL it refuses before Spring sees it, such as one with {@code %00})
 * as an RFC 9457 problem detail instead of Tomcat's HTML page.
 */
public class ProblemDetailErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status == 400 ? "the request URL or its headers are not allowed" : title;
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(Problems.json(status, title, detail));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response already started; nothing more to tell it
        }
    }
}
