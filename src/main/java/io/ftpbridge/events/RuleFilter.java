package io.ftpbridge.events;

import io.swagger.v3.oas.annotations.media.Schema;
/**
 * Which events a rule takes, beyond their type: all given conditions must hold.
 *
 * @param user     the actor (FTP user or REST account)
 * @param pathGlob a glob on the event's path; without a {@code /} it is matched against the file name only
 * @param minSize  smallest file size in bytes
 */
public record RuleFilter(@Schema(nullable = true) String folder, @Schema(nullable = true) String user, @Schema(nullable = true) String pathGlob, @Schema(nullable = true) Long minSize) {
}
