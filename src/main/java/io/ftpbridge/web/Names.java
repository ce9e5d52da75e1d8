package io.ftpbridge.web;

/** The charset shared by usernames, folder names and remote names. */
public final class Names {

    public static final String PATTERN = "^(?!\\.{1,2}$)[A-Za-z0-9._-]{1,64}$";
    public static final String MESSAGE = "must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-', and not '.' or '..'";

    private Names() {
    }
}
