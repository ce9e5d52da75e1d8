package io.ftpbridge.web;

import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Response fields that can be {@code null} are marked {@code @Schema(nullable = true)} on the DTO
 * record; OpenAPI 3.1 has no {@code nullable} keyword, so here each one becomes JSON Schema:
 * {@code type: [string, "null"]} (with {@code null} among an enum's values), or for a referenced
 * schema {@code anyOf: [{$ref}, {type: "null"}]}.
 */
@Configuration
public class OpenApiNullable {

    @Bean
    OpenApiCustomizer nullableFields() {
        return openApi -> {
            if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
                return;
            }
            openApi.getComponents().getSchemas().values().forEach(OpenApiNullable::rewriteProperties);
        };
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void rewriteProperties(Schema<?> schema) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        properties.replaceAll((name, property) -> nullable(property) ? nullableForm(property) : property);
    }

    private static boolean nullable(Schema<?> property) {
        Set<String> types = property.getTypes();
        boolean nullType = types != null && types.contains("null");
        // springdoc writes a nullable reference as {type: "null", $ref}, which admits neither
        return Boolean.TRUE.equals(property.getNullable()) || nullType && (types.size() > 1 || property.get$ref() != null);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema nullableForm(Schema property) {
        property.setNullable(null);
        if (property.get$ref() != null) {
            Schema ref = new Schema<>().$ref(property.get$ref());
            Schema result = new Schema<>().anyOf(List.of(ref, nullType()));
            result.setDescription(property.getDescription());
            return result;
        }
        Set<String> types = new LinkedHashSet<>();
        if (property.getTypes() != null) {
            types.addAll(property.getTypes());
        } else if (property.getType() != null) {
            types.add(property.getType());
        }
        types.remove("null");
        types.add("null");
        property.setTypes(types);
        if (property.getEnum() != null && !property.getEnum().contains(null)) {
            List<Object> values = new ArrayList<>(property.getEnum());
            values.add(null);
            property.setEnum(values);
        }
        return property;
    }

    private static Schema<?> nullType() {
        Schema<?> type = new Schema<>();
        type.addType("null");
        return type;
    }
}
