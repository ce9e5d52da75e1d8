package io.ftpbridge.ftpserver;

/** A PASS that was checked: published for listeners (events/) after the guard and the password decided. */
public record FtpLoginAttempt(String user, String address, boolean succeeded) {
}
