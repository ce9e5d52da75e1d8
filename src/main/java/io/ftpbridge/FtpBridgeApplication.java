package io.ftpbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling // the hourly retention purges of the audit trail and the events
public class FtpBridgeApplication {

    public static void main(String[] args) {
        SpringApplication.run(FtpBridgeApplication.class, args);
    }
}
