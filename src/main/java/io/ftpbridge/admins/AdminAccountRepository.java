package io.ftpbridge.admins;

import io.ftpbridge.security.Role;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface AdminAccountRepository extends JpaRepository<AdminAccount, Long> {

    Optional<AdminAccount> findByUsername(String username);

    boolean existsByUsername(String username);

    /** The enabled ADMIN accounts, locked: two changes cannot each think the other admin remains. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from AdminAccount a where a.role = :role and a.enabled = true order by a.id")
    List<AdminAccount> lockEnabledWithRole(Role role);

    /** Without touching the version: a login is not an edit of the account. */
    @Transactional
    @Modifying
    @Query("update AdminAccount a set a.lastLoginAt = :at where a.username = :username")
    int recordLogin(String username, Instant at);
}
