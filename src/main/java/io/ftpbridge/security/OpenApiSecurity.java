package io.ftpbridge.security;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Optional;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's security: the Basic and Bearer schemes (Swagger UI's "Authorize" offers
 * both), and for every operation the roles {@link AccessRules} allows, as {@code x-allowed-roles}
 * and in the description.
 */
@Configuration
public class OpenApiSecurity {

    static final String BASIC = "basicAuth";
    static final String BEARER = "bearerAuth";
    static final String API_KEY = "apiKeyHeader";
    public static final String ALLOWED_ROLES = "x-allowed-roles";

    @Bean
    OpenApiCustomizer securitySchemes() {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            components.addSecuritySchemes(BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                    .description("HTTP Basic: an administrator account (the bootstrap one is `ftpbridge.admin.username`, "
                            + "default `admin`) or an FTP user (its own `/api/v1/me` only)."));
            components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .description("`Authorization: Bearer <token>` with a token from `POST /api/v1/auth/token`, "
                            + "or `Authorization: Bearer <API key>` with a key from `POST /api/v1/api-keys`."));
            components.addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER).name(SecurityConfig.API_KEY_HEADER)
                    .description("An API key in the `X-API-Key` header (the same keys as Bearer)."));
            openApi.setComponents(components);
            openApi.setSecurity(List.of(new SecurityRequirement().addList(BASIC), new SecurityRequirement().addList(BEARER),
                    new SecurityRequirement().addList(API_KEY)));
            if (openApi.getPaths() != null) {
                openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
                        .forEach((method, operation) -> describe(method.name(), path, operation)));
            }
        };
    }

    private static void describe(String method, String path, Operation operation) {
        Optional<AccessRules.Rule> rule = AccessRules.forOperation(method, path);
        if (rule.isEmpty()) {
            return; // refused to everyone: the role matrix test names it
        }
        List<String> roles = rule.get().roles();
        operation.addExtension(ALLOWED_ROLES, roles);
        String line = "Allowed roles: " + String.join(", ", roles) + ".";
        String description = operation.getDescription();
        operation.setDescription(description == null || description.isBlank() ? line : description + "\n\n" + line);
    }
}
