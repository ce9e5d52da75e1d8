package io.ftpbridge.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Told of every request that passed through authentication and authorization, once its status is known (the audit trail). */
public interface RequestOutcomeListener {

    /**
     * @param status the status answered (500 when the request failed with an exception)
     * @param caller null for an anonymous request
     */
    void completed(HttpServletRequest request, HttpServletResponse response, int status, Caller caller);
}
