package io.ftpbridge.folders;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface FolderRepository extends JpaRepository<Folder, Long> {

    Optional<Folder> findByName(String name);

    boolean existsByName(String name);
}
