package io.ftpbridge.events;

/**
 * Which events a rule takes, beyond their type: all given conditions must hold.
 *
 * @param user     the actor (FTP user or REST account)
 * @param pathGlob a glob on the event's path; without a {@code /} it is matched against the file name only
 * @param minSize  smallest file size in bytes
 */
public record RuleFilter(String folder, String user, String pathGlob, Long minSize) {
}
