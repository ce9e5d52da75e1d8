package io.ftpbridge.remotes;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface RemoteRepository extends JpaRepository<Remote, Long> {

    Optional<Remote> findByName(String name);

    boolean existsByName(String name);
}
