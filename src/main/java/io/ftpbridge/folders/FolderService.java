package io.ftpbridge.folders;

import io.ftpbridge.storage.FolderStorage;
import io.ftpbridge.storage.InvalidPathException;
import io.ftpbridge.storage.StorageService;
import io.ftpbridge.storage.Usage;
import io.ftpbridge.web.ConflictException;
import io.ftpbridge.web.InvalidRequestException;
import io.ftpbridge.web.NotFoundException;
import io.ftpbridge.web.PageRequests;
import io.ftpbridge.web.PageResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Virtual folders: their records, their storage directories and their limits. */
@Service
public class FolderService {

    private static final Logger log = LoggerFactory.getLogger(FolderService.class);

    private final FolderRepository folders;
    private final StorageService storage;
    private final MountLookup mounts;

    public FolderService(FolderRepository folders, StorageService storage, MountLookup mounts) {
        this.folders = folders;
        this.storage = storage;
        this.mounts = mounts;
    }

    @Transactional
    public FolderResponse create(FolderRequest request) {
        if (folders.existsByName(request.name())) {
            throw new ConflictException("name", "folder '%s' already exists".formatted(request.name()));
        }
        Folder folder = new Folder(request.name());
        apply(folder, request.description(), request.location(), request.quotaBytes(), request.quotaFiles());
        checkSeparate(folder);
        folders.saveAndFlush(folder);
        FolderStorage created = toStorage(folder);
        try {
            storage.ensureExists(created);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create storage for folder " + folder.getName(), e);
        }
        log.info("Folder created: name={} location={}", folder.getName(), created.root());
        return response(folder);
    }

    @Transactional(readOnly = true)
    public FolderResponse get(String name) {
        return response(find(name));
    }

    @Transactional(readOnly = true)
    public PageResponse<FolderResponse> list(int page, int size) {
        return PageResponse.of(folders.findAll(PageRequests.of(page, size, Sort.by("name"))), this::response);
    }

    @Transactional
    public FolderResponse replace(String name, FolderRequest request) {
        if (!name.equals(request.name())) {
            throw new InvalidRequestException("name", "a folder cannot be renamed; the body's name must be '%s'".formatted(name));
        }
        Folder folder = find(name);
        folder.setDescription(null);
        folder.setLocation(null);
        apply(folder, request.description(), request.location(), request.quotaBytes(), request.quotaFiles());
        return saved(folder);
    }

    @Transactional
    public FolderResponse patch(String name, FolderPatch patch) {
        Folder folder = find(name);
        apply(folder, patch.description(), patch.location(), patch.quotaBytes(), patch.quotaFiles());
        return saved(folder);
    }

    /** Deletes a folder that no user mounts; its files stay on disk unless {@code deleteFiles}. */
    @Transactional
    public void delete(String name, boolean deleteFiles) {
        Folder folder = find(name);
        List<String> users = mounts.usersMounting(name);
        if (!users.isEmpty()) {
            throw new ConflictException(null, "folder '%s' is still mounted by %s".formatted(name, users));
        }
        FolderStorage removed = toStorage(folder);
        folders.delete(folder);
        folders.flush();
        if (deleteFiles) {
            try {
                storage.deleteAll(removed);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete storage of folder " + name, e);
            }
        }
        log.info("Folder deleted: name={} filesDeleted={}", name, deleteFiles);
    }

    @Transactional(readOnly = true)
    public boolean exists(String name) {
        return folders.existsByName(name);
    }

    /** The storage view of a folder, for FTP sessions and the REST file endpoints. */
    @Transactional(readOnly = true)
    public FolderStorage storageOf(String name) {
        return toStorage(find(name));
    }

    @Transactional(readOnly = true)
    public Optional<FolderStorage> findStorage(String name) {
        return folders.findByName(name).map(this::toStorage);
    }

    private void apply(Folder folder, String description, String location, Long quotaBytes, Long quotaFiles) {
        if (description != null) {
            folder.setDescription(description);
        }
        if (location != null) {
            try {
                folder.setLocation(storage.checkLocation(location).toString());
            } catch (InvalidPathException e) {
                throw new InvalidRequestException("location", e.getMessage());
            }
        }
        if (quotaBytes != null) {
            folder.setQuotaBytes(quotaBytes);
        }
        if (quotaFiles != null) {
            folder.setQuotaFiles(quotaFiles);
        }
    }

    private FolderResponse saved(Folder folder) {
        checkSeparate(folder);
        folder.touch();
        folders.saveAndFlush(folder);
        storage.forgetUsage(toStorage(folder));
        try {
            storage.ensureExists(toStorage(folder));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create storage for folder " + folder.getName(), e);
        }
        log.info("Folder updated: name={}", folder.getName());
        return response(folder);
    }

    /**
     * Refuses a storage directory that equals, contains or lies inside another folder's (after
     * following symbolic links): two folders would share files and each other's quotas.
     */
    private void checkSeparate(Folder folder) {
        Map<String, Path> others = new LinkedHashMap<>();
        for (Folder other : folders.findAll()) {
            if (!other.getName().equals(folder.getName())) {
                others.put(other.getName(), toStorage(other).root());
            }
        }
        String conflict = storage.overlap(toStorage(folder).root(), others);
        if (conflict != null) {
            throw new ConflictException("location", conflict);
        }
    }

    /**
     * At startup: removes the temporary files of uploads cut off by a crash (kill -9, power cut),
     * which nothing else would ever remove; they count in usage until then.
     */
    @EventListener(ApplicationReadyEvent.class)
    @Transactional(readOnly = true)
    public void removeOrphanedUploads() {
        int removed = 0;
        for (Folder folder : folders.findAll()) {
            try {
                removed += storage.removeOrphanedUploads(toStorage(folder));
            } catch (IOException | RuntimeException e) {
                log.warn("Could not look for orphaned upload files: folder={} error={}", folder.getName(), e.toString());
            }
        }
        if (removed > 0) {
            log.info("Removed {} orphaned upload file(s) left by an earlier run", removed);
        }
    }

    private Folder find(String name) {
        return folders.findByName(name)
                .orElseThrow(() -> new NotFoundException("folder '%s' does not exist".formatted(name)));
    }

    private FolderStorage toStorage(Folder folder) {
        Path root;
        try {
            root = folder.getLocation() != null ? Path.of(folder.getLocation()) : storage.defaultLocation(folder.getName());
        } catch (InvalidPathException e) { // names are validated before; a stored name never gets here
            throw new InvalidRequestException("name", e.getMessage());
        }
        return new FolderStorage(folder.getName(), root, folder.getQuotaBytes(), folder.getQuotaFiles());
    }

    private FolderResponse response(Folder folder) {
        FolderStorage folderStorage = toStorage(folder);
        Usage usage;
        try {
            usage = storage.usage(folderStorage);
        } catch (IOException e) {
            usage = new Usage(0, 0);
        }
        return FolderResponse.of(folder, folderStorage.root().toString(), usage);
    }
}
