package io.ftpbridge.admins;

import io.ftpbridge.security.Role;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes sure the bootstrap administrator exists: with the configured password, or with one
 * generated on the first start and logged that once (only its hash is kept).
 */
@Component
class AdminBootstrap implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AdminProperties properties;
    private final AdminAccountRepository accounts;
    private final PasswordEncoder passwordEncoder;
    private final TransactionTemplate transactions;

    AdminBootstrap(AdminProperties properties, AdminAccountRepository accounts, PasswordEncoder passwordEncoder,
                   TransactionTemplate transactions) {
        this.properties = properties;
        this.accounts = accounts;
        this.passwordEncoder = passwordEncoder;
        this.transactions = transactions;
    }

    @Override
    public void afterSingletonsInstantiated() {
        transactions.executeWithoutResult(status -> {
            String configured = properties.password();
            AdminAccount existing = accounts.findByUsername(properties.username()).orElse(null);
            if (existing == null) {
                String password = configured != null ? configured : generate();
                accounts.save(new AdminAccount(properties.username(), passwordEncoder.encode(password), Role.ADMIN));
                if (configured == null) {
                    log.warn("Generated password for REST administrator '{}': {} (shown once; set ftpbridge.admin.password to choose one)",
                            properties.username(), password);
                } else {
                    log.info("REST administrator created: username={}", properties.username());
                }
            } else if (configured != null && !passwordEncoder.matches(configured, existing.getPasswordHash())) {
                existing.setPasswordHash(passwordEncoder.encode(configured));
                log.info("REST administrator password updated from configuration: username={}", properties.username());
            }
        });
    }

    private static String generate() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
