package io.ftpbridge.security;

import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling the REST API, as authentication established it.
 *
 * @param role  the administrator's or API key's role; null for an FTP user
 * @param keyId the API key used, for {@link AuthMethod#API_KEY}
 */
public record Caller(String username, AccountKind kind, Role role, AuthMethod method, String keyId) {

    /** The Spring Security role name an FTP user holds (admins and keys hold their {@link Role}'s). */
    public static final String FTP_USER_ROLE = "FTP_USER";

    public List<GrantedAuthority> authorities() {
        return List.of(new SimpleGrantedAuthority("ROLE_" + (kind == AccountKind.FTP_USER ? FTP_USER_ROLE : role.name())));
    }

    public Caller via(AuthMethod how) {
        return new Caller(username, kind, role, how, keyId);
    }

    /** The caller of the current request. */
    public static Caller current() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            return caller;
        }
        throw new IllegalStateException("no authenticated caller");
    }
}
