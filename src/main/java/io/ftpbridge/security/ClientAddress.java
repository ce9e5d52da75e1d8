package io.ftpbridge.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** The client address Spring Security recorded in an authentication request's details. */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(Object details) {
        return details instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    }

    static InetAddress inet(Object details) {
        String address = of(details);
        if (address == null) {
            return null;
        }
        try {
            // a literal address from the servlet container: parsed, never looked up
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
