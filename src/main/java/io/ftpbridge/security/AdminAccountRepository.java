package io.ftpbridge.security;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface AdminAccountRepository extends JpaRepository<AdminAccount, Long> {

    Optional<AdminAccount> findByUsername(String username);
}
