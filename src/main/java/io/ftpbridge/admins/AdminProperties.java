package io.ftpbridge.admins;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The bootstrap REST administrator.
 *
 * @param password if unset, one is generated on first start, logged once and stored hashed
 */
@Validated
@ConfigurationProperties("ftpbridge.admin")
public record AdminProperties(
        @DefaultValue("admin") @NotBlank @Pattern(regexp = "^[A-Za-z0-9._-]{1,64}$") String username,
        @Size(min = 8, message = "must be at least 8 characters") String password) {
}
