package io.ftpbridge.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/** README's "Configuration reference" names every {@code ftpbridge.*} property the code binds. */
class ConfigurationReferenceTest {

    @Test
    void readmeDocumentsEveryFtpbridgeProperty() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Configuration reference");
        assertThat(section).as("README.md has a 'Configuration reference' section").isPositive();
        int next = readme.indexOf("\n## ", section + 1);
        String reference = readme.substring(section, next < 0 ? readme.length() : next);

        Set<String> properties = boundProperties();
        assertThat(properties).as("properties found in the code")
                .contains("ftpbridge.ftp.passive-external-address", "ftpbridge.ftp.tls.keystore-type",
                        "ftpbridge.admin.password", "ftpbridge.storage.root");
        List<String> missing = properties.stream().filter(p -> !reference.contains("`" + p + "`")).toList();
        assertThat(missing).as("properties bound by @ConfigurationProperties records but missing from README.md's "
                + "'Configuration reference' table (add a row: property, default, meaning)").isEmpty();
        assertThat(reference).contains("`ftpbridge.data-dir`", "`ftpbridge.secrets.key`", "`ftpbridge.transfers.concurrency`");
    }

    private static Set<String> boundProperties() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<String> properties = new TreeSet<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.ftpbridge")) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            collect(prefix, type, properties);
        }
        return properties;
    }

    /** Nested records and classes of this code base are groups ({@code tls.*}); anything else is a leaf. */
    private static void collect(String prefix, Class<?> type, Set<String> into) {
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                leafOrGroup(prefix + "." + kebab(component.getName()), component.getType(), into);
            }
            return;
        }
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                leafOrGroup(prefix + "." + kebab(field.getName()), field.getType(), into);
            }
        }
    }

    private static void leafOrGroup(String name, Class<?> type, Set<String> into) {
        if (type.getName().startsWith("io.ftpbridge.") && !type.isEnum()) {
            collect(name, type, into);
        } else {
            into.add(name);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
