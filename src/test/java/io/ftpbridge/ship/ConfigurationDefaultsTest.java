package io.ftpbridge.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/** Each default has one home: the @ConfigurationProperties record; application.yml does not repeat it. */
class ConfigurationDefaultsTest {

    @Test
    void applicationYmlRepeatsNoDefaultOfAPropertiesRecord() throws Exception {
        YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
        yaml.setResources(new ClassPathResource("application.yml"));
        Properties set = yaml.getObject();

        Set<String> defaulted = defaultedProperties();
        assertThat(defaulted).as("properties with a record default")
                .contains("ftpbridge.ftp.port", "ftpbridge.transfers.concurrency", "ftpbridge.admin.username");
        assertThat(defaulted.stream().filter(set::containsKey).toList())
                .as("set in application.yml although their record has a @DefaultValue (keep the default in one place)")
                .isEmpty();
    }

    private static Set<String> defaultedProperties() throws Exception {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Set<String> properties = new TreeSet<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.ftpbridge")) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            collect(annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix(), type, properties);
        }
        return properties;
    }

    private static void collect(String prefix, Class<?> type, Set<String> into) throws Exception {
        if (!type.isRecord()) {
            return;
        }
        RecordComponent[] components = type.getRecordComponents();
        Parameter[] parameters = type.getDeclaredConstructor(
                Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new)).getParameters();
        for (int i = 0; i < components.length; i++) {
            String name = prefix + "." + components[i].getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Class<?> componentType = components[i].getType();
            if (componentType.isRecord() && componentType.getName().startsWith("io.ftpbridge.")) {
                collect(name, componentType, into);
            } else if (parameters[i].isAnnotationPresent(DefaultValue.class)) {
                into.add(name);
            }
        }
    }
}
