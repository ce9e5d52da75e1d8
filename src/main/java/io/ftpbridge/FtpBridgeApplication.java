package io.ftpbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class FtpBridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(FtpBridgeApplication.class, args);
    }
}
