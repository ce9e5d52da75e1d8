package io.ftpbridge.events;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values computed once per key and kept, for keys taken from rules (path globs, webhook secrets): when it
 * holds more than {@code max} keys, those of rules changed or deleted since, it starts over, and the keys
 * in use come back at once.
 */
final class ComputedCache<K, V> {

    private final Map<K, V> values = new ConcurrentHashMap<>();
    private final int max;
    private final Function<K, V> compute;

    ComputedCache(int max, Function<K, V> compute) {
        this.max = max;
        this.compute = compute;
    }

    V get(K key) {
        if (values.size() > max) {
            values.clear();
        }
        return values.computeIfAbsent(key, compute);
    }
}
