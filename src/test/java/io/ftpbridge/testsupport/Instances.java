package io.ftpbridge.testsupport;

import io.ftpbridge.FtpBridgeApplication;
import io.ftpbridge.ftpserver.FtpServerLifecycle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Whole ftpbridge instances on one PostgreSQL database, as a cluster runs them. */
public final class Instances {

    private Instances() {
    }

    /** Starts an instance on random HTTP and FTP ports; {@code extra} are more {@code --name=value} arguments. */
    public static ConfigurableApplicationContext start(PostgresSupport.Database db, Path dataDir, String... extra) {
        return new SpringApplicationBuilder(FtpBridgeApplication.class).run(arguments(db, dataDir, 0, extra).toArray(String[]::new));
    }

    /** The command-line arguments of an instance on {@code db} with HTTP on {@code httpPort} (0: any free one). */
    static List<String> arguments(PostgresSupport.Database db, Path dataDir, int httpPort, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + db.url(),
                "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(),
                "--ftpbridge.data-dir=" + dataDir,
                "--server.port=" + httpPort,
                "--ftpbridge.ftp.port=0",
                "--ftpbridge.admin.password=" + Api.ADMIN_PASSWORD,
                "--logging.level.org.springframework=WARN",
                "--logging.level.org.hibernate=WARN",
                "--logging.level.com.zaxxer=WARN",
                "--logging.level.org.flywaydb=WARN",
                "--spring.main.banner-mode=off"));
        if (java.util.Arrays.stream(extra).noneMatch(a -> a.startsWith("--ftpbridge.ftp.login-failures."))) {
            // failed logins are counted in the shared database: other tests' failures must not lock this one out
            args.add("--ftpbridge.ftp.login-failures.max-attempts=1000");
            args.add("--ftpbridge.ftp.login-failures.max-attempts-per-account=1000");
        }
        args.addAll(List.of(extra));
        return args;
    }

    public static Api api(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    public static int ftpPort(ConfigurableApplicationContext context) {
        return context.getBean(FtpServerLifecycle.class).port();
    }
}
