package io.ftpbridge.ftpserver;

import io.ftpbridge.users.FtpLogin;
import java.util.ArrayList;
import java.util.List;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.TransferRatePermission;

/** A logged-in user as MINA sees it, carrying the login that built it. */
final class FtpAccount extends BaseUser {

    private final FtpLogin login;

    FtpAccount(FtpLogin login, int maxIdleSeconds) {
        this.login = login;
        setName(login.username());
        setEnabled(true);
        setHomeDirectory("/");
        setMaxIdleTime(maxIdleSeconds);
        List<Authority> authorities = new ArrayList<>();
        authorities.add(new ConcurrentLoginPermission(login.maxConnections(), login.maxConnections()));
        authorities.add(new TransferRatePermission(clamp(login.downloadBytesPerSecond()), clamp(login.uploadBytesPerSecond())));
        setAuthorities(authorities);
    }

    FtpLogin login() {
        return login;
    }

    private static int clamp(long bytesPerSecond) {
        return (int) Math.min(bytesPerSecond, Integer.MAX_VALUE);
    }
}
