package io.ftpbridge.web;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tomcat reads request bodies through its socket read buffer, 8 KiB by default, so a REST upload
 * reached storage 8 KiB per read. 64 KiB per connection lets uploads arrive in large chunks.
 */
@Configuration(proxyBeanMethods = false)
class TomcatSocketBuffers {

    @Bean
    TomcatConnectorCustomizer largeSocketReadBuffer() {
        return connector -> connector.setProperty("socket.appReadBufSize", "65536");
    }
}
