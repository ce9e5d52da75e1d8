package io.ftpbridge.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One row of the audit trail: a change made over REST, or a login over FTP or REST. Never a secret or a body. */
@Entity
@Table(name = "audit_event")
class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant time;

    private String actor;

    @Column(name = "auth_method")
    private String authMethod;

    @Column(name = "key_id")
    private String keyId;

    @Column(nullable = false)
    private String action;

    @Column(name = "http_method")
    private String method;

    private String path;

    private String target;

    private Integer status;

    @Column(name = "client_address")
    private String clientAddress;

    protected AuditEvent() {
    }

    AuditEvent(Instant time, String actor, String authMethod, String keyId, String action, String method, String path,
               String target, Integer status, String clientAddress) {
        this.time = time;
        this.actor = clip(actor, 64);
        this.authMethod = authMethod;
        this.keyId = keyId;
        this.action = clip(action, 64);
        this.method = method;
        this.path = clip(path, 2048);
        this.target = clip(target, 2048);
        this.status = status;
        this.clientAddress = clip(clientAddress, 64);
    }

    private static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    Long getId() {
        return id;
    }

    Instant getTime() {
        return time;
    }

    String getActor() {
        return actor;
    }

    String getAuthMethod() {
        return authMethod;
    }

    String getKeyId() {
        return keyId;
    }

    String getAction() {
        return action;
    }

    String getMethod() {
        return method;
    }

    String getPath() {
        return path;
    }

    String getTarget() {
        return target;
    }

    Integer getStatus() {
        return status;
    }

    String getClientAddress() {
        return clientAddress;
    }
}
