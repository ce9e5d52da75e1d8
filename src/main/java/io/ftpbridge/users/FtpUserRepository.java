package io.ftpbridge.users;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface FtpUserRepository extends JpaRepository<FtpUser, Long> {

    Optional<FtpUser> findByUsername(String username);

    boolean existsByUsername(String username);

    @Query("select distinct u.username from FtpUser u join u.mounts m where m.folderName = :folder order by u.username")
    List<String> findUsernamesMounting(String folder);
}
