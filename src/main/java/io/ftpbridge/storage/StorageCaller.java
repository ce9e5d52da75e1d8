package io.ftpbridge.storage;

import java.io.IOException;

/**
 * Who asks storage for a change, and over which protocol ({@code FTP}, {@code REST}, {@code JOB}),
 * held for the current thread so {@link FileActivity} can name them without every storage method
 * taking them as arguments.
 */
public record StorageCaller(String actor, String protocol) {

    public static final StorageCaller UNKNOWN = new StorageCaller(null, null);

    private static final ThreadLocal<StorageCaller> CURRENT = new ThreadLocal<>();

    public static StorageCaller current() {
        StorageCaller caller = CURRENT.get();
        return caller == null ? UNKNOWN : caller;
    }

    /** Makes {@code caller} the current one until the returned scope is closed (then the previous one is back). */
    public static Scope enter(StorageCaller caller) {
        StorageCaller previous = CURRENT.get();
        CURRENT.set(caller);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** A storage call that may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IoCall<T> {
        T call() throws IOException;
    }

    public <T> T run(IoCall<T> call) throws IOException {
        try (Scope ignored = enter(this)) {
            return call.call();
        }
    }
}
