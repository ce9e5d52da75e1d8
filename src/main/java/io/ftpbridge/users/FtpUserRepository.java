package io.ftpbridge.users;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface FtpUserRepository extends JpaRepository<FtpUser, Long> {

    Optional<FtpUser> findByUsername(String username);

    boolean existsByUsername(String username);

    /**
     * A page of users by username, as rows rather than entities. A JPQL string rather than
     * {@code findAll(Pageable)}: Hibernate caches the plan of a query string, while a criteria query
     * is built and translated to SQL anew on every call.
     */
    @Query(value = "select new io.ftpbridge.users.UserRow(u.id, u.username, u.enabled, u.maxConnections,"
            + " u.uploadBytesPerSecond, u.downloadBytesPerSecond, u.allowedIps, u.createdAt, u.updatedAt, u.tlsRequired)"
            + " from FtpUser u order by u.username", countQuery = "select count(u) from FtpUser u")
    Page<UserRow> findRows(Pageable pageable);

    /**
     * The mounts of the users whose names lie between two (inclusive): those of a page, which is a
     * run of usernames. Bounds, not a list of ids: a query with a list parameter is translated to
     * SQL again on every call, one with two plain parameters once.
     */
    @Query("select new io.ftpbridge.users.UserRow$MountRow(u.id, m.folderName, m.path, m.permissions)"
            + " from FtpUser u join u.mounts m where u.username between :first and :last")
    List<UserRow.MountRow> findMountRows(String first, String last);

    @Query("select distinct u.username from FtpUser u join u.mounts m where m.folderName = :folder order by u.username")
    List<String> findUsernamesMounting(String folder);
}
