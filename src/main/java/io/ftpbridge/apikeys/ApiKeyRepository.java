package io.ftpbridge.apikeys;

import java.time.Instant;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface ApiKeyRepository extends JpaRepository<ApiKey, String> {

    Page<ApiKey> findByCreatedBy(String createdBy, Pageable pageable);

    @Transactional
    @Modifying
    @Query("update ApiKey k set k.lastUsedAt = :at where k.id = :id")
    int recordUse(String id, Instant at);
}
