package io.ftpbridge.transfers;

import io.ftpbridge.storage.StorageService;

/** Slash-separated paths of a job's files, on the remote and in the folder. */
final class JobPaths {

    private JobPaths() {
    }

    /** The job's temporary name for a file it uploads to a remote server: beside it, owned by this job. */
    static String partialName(String path, long jobId) {
        return join(parentOf(path), StorageService.partialName(baseName(path), partialOwner(jobId)));
    }

    /** Who owns a job's partial files (in the partials directory and on remote servers). */
    static String partialOwner(long jobId) {
        return "job" + jobId;
    }

    static String baseName(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : slash == 0 ? "/" : path.substring(0, slash);
    }

    static String join(String dir, String name) {
        if (name.isEmpty()) {
            return dir;
        }
        if (dir.isEmpty()) {
            return name;
        }
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
