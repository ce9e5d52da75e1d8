package io.ftpbridge.transfers;

import io.ftpbridge.remotes.DataConnection;
import io.ftpbridge.remotes.RemoteChecksums;
import io.ftpbridge.remotes.RemoteSession;
import io.ftpbridge.remotes.TransferType;
import io.ftpbridge.storage.FileEntry;
import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.StorageService;
import java.io.IOException;
import java.nio.channels.FileChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Upload: folder file -> temporary name on the server -> verified -> renamed into place. */
@Component
final class UploadStep extends FileStep {

    private static final Logger log = LoggerFactory.getLogger(UploadStep.class);

    UploadStep(TransferJobRepository jobs, StorageService storage) {
        super(jobs, storage);
    }

    @Override
    void transfer(JobRun run, TransferJob job, RemoteSession session, FolderStorage folder, TransferFile file,
                  TranscriptRecorder transcript) throws IOException, FileFailure, JobRun.HaltedException {
        FileEntry local = statOrNull(folder, file.localPath());
        if (local == null) {
            throw new FileFailure("no longer in folder '%s'".formatted(job.folder()));
        }
        boolean binary = session.transferType() == TransferType.BINARY;
        long size = local.size();
        String target = file.remotePath();
        String written;
        long base = 0;
        long offset;
        if (job.append()) {
            base = file.state() == FileState.PENDING ? Math.max(0, session.size(target)) : file.baseSize();
            offset = binary ? Math.max(0, session.size(target) - base) : 0;
            written = target;
        } else {
            // whether the target exists matters here only to SKIP and FAIL; REPLACE looks again before its rename
            if (job.overwrite() != Overwrite.REPLACE && file.state() == FileState.PENDING && session.size(target) >= 0) {
                if (job.overwrite() == Overwrite.SKIP) {
                    skip(run, job, file, transcript, "exists on the remote server");
                    return;
                }
                if (job.overwrite() == Overwrite.FAIL) {
                    throw new FileFailure("exists on remote '%s' and overwrite is FAIL".formatted(job.remote()));
                }
            }
            written = JobPaths.partialName(target, job.id());
            // only a file this job began (RUNNING) resumes; a PENDING one starts afresh: whatever has its
            // temporary name was not sent by this job (another client may have planted it)
            offset = binary && file.state() == FileState.RUNNING ? Math.max(0, session.size(written)) : 0;
        }
        if (offset > size) {
            offset = 0;
        }
        jobs.updateFile(job.id(), file.seq(), FileState.RUNNING, size, base, offset, null);
        run.progress().add(offset - file.bytesDone());
        long copyNanos = 0;
        try {
            if (offset == 0 || offset < size) {
                try (FileChannel in = storage.openChannel(folder, file.localPath())) {
                    long started = System.nanoTime();
                    DataConnection out = session.storeData(written, offset, job.append());
                    run.attachStream(out);
                    transcript.flush(); // the running command shows while its bytes move
                    try {
                        run.send(in, offset, out);
                    } finally {
                        out.close();
                    }
                    session.complete("STOR " + written);
                    copyNanos = System.nanoTime() - started;
                }
            }
            if (job.verify() && binary) {
                verify(job, session, folder, file, transcript, target, written, base + size);
            }
            if (!job.append()) {
                renameIntoPlace(session, written, target);
            }
        } catch (RemoteSession.Refused refused) {
            throw FileFailure.of(refused);
        }
        jobs.updateFile(job.id(), file.seq(), FileState.DONE, size, base, size, null);
        run.progress().fileFinished();
        log.info("Transfer file done: id={} remote={} remotePath={} folder={} path={} bytes={} transferMillis={}", job.id(),
                job.remote(), target, job.folder(), file.localPath(), size, copyNanos / 1_000_000);
    }

    /**
     * Renames the temporary file onto the target. Most servers replace an existing target in that one step (rename(2)):
     * the target is never missing, and no command is spent looking for it. A server that refuses RNTO onto an existing
     * file (ProFTPD with {@code AllowOverwrite off}) gets the target deleted and the rename again, and only once our
     * file is known to be there, so that a rename refused for another reason deletes nothing.
     */
    private static void renameIntoPlace(RemoteSession session, String written, String target)
            throws IOException, RemoteSession.Refused {
        try {
            session.rename(written, target);
        } catch (RemoteSession.Refused refused) {
            if (session.size(target) < 0 || session.size(written) < 0) {
                throw refused;
            }
            deleteIfAllowed(session, target);
            session.rename(written, target);
        }
    }

    private void verify(TransferJob job, RemoteSession session, FolderStorage folder, TransferFile file,
                        TranscriptRecorder transcript, String target, String written, long expected)
            throws IOException, FileFailure {
        long remoteSize = session.size(written);
        if (remoteSize >= 0 && remoteSize != expected) {
            if (!job.append()) {
                deleteIfAllowed(session, written); // our temporary file; in append mode it is the user's file
            }
            throw new FileFailure("size mismatch: sent %d bytes, remote has %d".formatted(expected, remoteSize));
        }
        RemoteChecksums.RemoteChecksum remote = job.append() ? null : session.checksum(written);
        if (remote != null) {
            String localSum = RemoteChecksums.localChecksum(remote.algorithm(), () -> storage.openRead(folder, file.localPath(), 0));
            transcript.note("verify %s %s remote=%s local=%s".formatted(target, remote.algorithm(), remote.hex(), localSum));
            if (!localSum.equals(remote.hex())) {
                deleteIfAllowed(session, written);
                throw new FileFailure("%s mismatch: remote %s, local %s".formatted(remote.algorithm(), remote.hex(), localSum));
            }
        }
    }
}
