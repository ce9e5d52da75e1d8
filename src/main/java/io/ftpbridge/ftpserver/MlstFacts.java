package io.ftpbridge.ftpserver;

import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.Permission;
import io.ftpbridge.storage.UserFileSystem;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.ftpserver.impl.FtpIoSession;

/**
 * The RFC 3659 facts of MLST and MLSD entries, and which of them a session has selected with
 * {@code OPTS MLST}. "perm" is derived from what storage allows at the path, so it says what the
 * user may really do there.
 */
final class MlstFacts {

    enum Fact { MODIFY, PERM, SIZE, TYPE, UNIQUE }

    /** Offered in FEAT; {@code *} marks the facts shown until OPTS MLST selects others (RFC 3659 §7.8). */
    static final String FEAT_LINE = "MLST modify*;perm*;size*;type*;unique;";

    private static final List<Fact> DEFAULTS = List.of(Fact.MODIFY, Fact.PERM, Fact.SIZE, Fact.TYPE);
    private static final String SELECTED = "ftpbridge.mlstFacts";
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

    private MlstFacts() {
    }

    @SuppressWarnings("unchecked")
    static List<Fact> selected(FtpIoSession session) {
        Object facts = session.getAttribute(SELECTED);
        return facts == null ? DEFAULTS : (List<Fact>) facts;
    }

    /** Selects the known facts among {@code names} ("size;type;"); unknown ones are ignored, as §7.9 says. */
    static List<Fact> select(FtpIoSession session, String names) {
        List<Fact> facts = new ArrayList<>();
        for (String name : names.split(";")) {
            for (Fact fact : Fact.values()) {
                if (fact.name().equalsIgnoreCase(name.trim()) && !facts.contains(fact)) {
                    facts.add(fact);
                }
            }
        }
        session.setAttribute(SELECTED, List.copyOf(facts));
        return facts;
    }

    static String names(List<Fact> facts) {
        StringBuilder names = new StringBuilder();
        facts.forEach(f -> names.append(f.name().toLowerCase(Locale.ROOT)).append(';'));
        return names.toString();
    }

    /** One entry: {@code fact=value;...; name} (the caller adds the leading space MLST needs). */
    static String entry(List<Fact> facts, UserFileSystem files, String path, FileEntry entry, String name) {
        boolean directory = entry.type() == FileEntry.Type.DIRECTORY;
        StringBuilder line = new StringBuilder();
        for (Fact fact : facts) {
            switch (fact) {
                case MODIFY -> line.append("modify=").append(time(entry)).append(';');
                case PERM -> line.append("perm=").append(perm(files.permissionsAt(path), directory)).append(';');
                case SIZE -> {
                    if (!directory) {
                        line.append("size=").append(entry.size()).append(';');
                    }
                }
                case TYPE -> line.append("type=").append(directory ? "dir" : "file").append(';');
                case UNIQUE -> {
                    String unique = files.uniqueId(path);
                    if (unique != null) {
                        line.append("unique=").append(unique).append(';');
                    }
                }
            }
        }
        return line.append(' ').append(name).toString();
    }

    private static String time(FileEntry entry) {
        String time = TIME.format(entry.modified());
        int millis = entry.modified().getNano() / 1_000_000;
        return millis == 0 ? time : time + "." + String.format("%03d", millis);
    }

    /** RFC 3659 §7.5.5: a/d/f/r/w for files, c/d/e/f/l/m/p for directories. */
    private static String perm(Set<Permission> granted, boolean directory) {
        StringBuilder perm = new StringBuilder();
        if (directory) {
            append(perm, 'c', granted.contains(Permission.WRITE));
            append(perm, 'd', granted.contains(Permission.RMDIR));
            append(perm, 'e', true);
            append(perm, 'f', granted.contains(Permission.RENAME));
            append(perm, 'l', granted.contains(Permission.LIST));
            append(perm, 'm', granted.contains(Permission.MKDIR));
            append(perm, 'p', granted.contains(Permission.DELETE));
        } else {
            append(perm, 'a', granted.contains(Permission.APPEND) || granted.contains(Permission.WRITE));
            append(perm, 'd', granted.contains(Permission.DELETE));
            append(perm, 'f', granted.contains(Permission.RENAME));
            append(perm, 'r', granted.contains(Permission.READ));
            append(perm, 'w', granted.contains(Permission.WRITE));
        }
        return perm.toString();
    }

    private static void append(StringBuilder perm, char letter, boolean granted) {
        if (granted) {
            perm.append(letter);
        }
    }
}
