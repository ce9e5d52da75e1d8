/* The webhook receiver of bench/events.py, in C: the same protocol, checks and output as the Python one
 * (events.py --receiver), at a fraction of its CPU, which it takes from the same two cores as the uploads.
 * HTTP/1.1 keep-alive on 127.0.0.1 (port printed on stdout), every request's X-Ftpbridge-Signature checked
 * (HMAC-SHA256 of the raw body with the bench secret, constant-time compare): a POST with a good one gets 204
 * and the line "<path> <CLOCK_MONOTONIC seconds>" (the JSON body's top-level "path", unescaped), anything else
 * 401 and "BAD-SIGNATURE <time>"; a body that is not a JSON object with a string "path" closes the connection
 * unanswered (the Python receiver's json.loads would have raised there). Lines are written once per wake-up.
 * Build: cc -O2 -o events-receiver events-receiver.c -lcrypto   Run: events-receiver arrivals-file */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char SECRET[] = "bench-secret";

struct conn {
    int fd;
    char *buf;
    size_t len, cap;
};

static FILE *out;

static double monotonic(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* The value of header `name` (lower case, with its colon) in head[0..end), or NULL; its length in *n. */
static const char *header(const char *head, size_t end, const char *name, size_t *n) {
    size_t k = strlen(name);
    for (const char *p = head; p + 2 + k <= head + end; p++) {
        p = memmem(p, head + end - p, "\r\n", 2);
        if (!p || p + 2 + k > head + end) {
            return NULL;
        }
        if (strncasecmp(p + 2, name, k) == 0) {
            const char *v = p + 2 + k, *e = memmem(v, head + end - v, "\r\n", 2);
            if (!e) {
                e = head + end;
            }
            while (v < e && (*v == ' ' || *v == '\t')) v++;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t')) e--;
            *n = e - v;
            return v;
        }
    }
    return NULL;
}

/* A small JSON reader: enough to check that a body is one JSON value and to take its object's "path". */
struct json {
    const char *p, *end;
};

static void ws(struct json *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

static int hex4(const char *p, unsigned *v) {
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        *v <<= 4;
        if (c >= '0' && c <= '9') *v |= c - '0';
        else if (c >= 'a' && c <= 'f') *v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') *v |= c - 'A' + 10;
        else return 0;
    }
    return 1;
}

/* Appends a code point as UTF-8 (lone surrogates as Python's json would keep them: encoded as is, "surrogatepass"). */
static size_t utf8(unsigned cp, char *o) {
    if (cp < 0x80) { o[0] = cp; return 1; }
    if (cp < 0x800) { o[0] = 0xC0 | cp >> 6; o[1] = 0x80 | (cp & 0x3F); return 2; }
    if (cp < 0x10000) { o[0] = 0xE0 | cp >> 12; o[1] = 0x80 | (cp >> 6 & 0x3F); o[2] = 0x80 | (cp & 0x3F); return 3; }
    o[0] = 0xF0 | cp >> 18; o[1] = 0x80 | (cp >> 12 & 0x3F); o[2] = 0x80 | (cp >> 6 & 0x3F); o[3] = 0x80 | (cp & 0x3F);
    return 4;
}

/* Reads a string at j->p (the opening quote); unescaped into o (may be NULL) with its length in *n. */
static int string(struct json *j, char *o, size_t *n) {
    size_t k = 0;
    if (j->p >= j->end || *j->p != '"') return 0;
    j->p++;
    while (j->p < j->end) {
        unsigned char c = *j->p++;
        if (c == '"') { if (n) *n = k; return 1; }
        if (c < 0x20) return 0;
        if (c != '\\') { if (o) o[k] = c; k++; continue; }
        if (j->p >= j->end) return 0;
        c = *j->p++;
        char e = c == '"' ? '"' : c == '\\' ? '\\' : c == '/' ? '/' : c == 'b' ? '\b' : c == 'f' ? '\f'
               : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : 0;
        if (e) { if (o) o[k] = e; k++; continue; }
        unsigned cp, lo;
        if (c != 'u' || j->end - j->p < 4 || !hex4(j->p, &cp)) return 0;
        j->p += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u' && hex4(j->p + 2, &lo)
                && lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            j->p += 6;
        }
        char tmp[4];
        size_t m = utf8(cp, tmp);
        if (o) memcpy(o + k, tmp, m);
        k += m;
    }
    return 0;
}

static int value(struct json *j, int depth);

static int members(struct json *j, int depth, char close, int object) {
    j->p++;
    ws(j);
    if (j->p < j->end && *j->p == close) { j->p++; return 1; }
    for (;;) {
        if (object) {
            if (!string(j, NULL, NULL)) return 0;
            ws(j);
            if (j->p >= j->end || *j->p++ != ':') return 0;
        }
        if (!value(j, depth + 1)) return 0;
        ws(j);
        if (j->p >= j->end) return 0;
        char c = *j->p++;
        if (c == close) return 1;
        if (c != ',') return 0;
        ws(j);
    }
}

static int value(struct json *j, int depth) {
    ws(j);
    if (j->p >= j->end || depth > 64) return 0;
    char c = *j->p;
    if (c == '"') return string(j, NULL, NULL);
    if (c == '{') return members(j, depth, '}', 1);
    if (c == '[') return members(j, depth, ']', 0);
    static const char *words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t k = strlen(words[i]);
        if ((size_t) (j->end - j->p) >= k && memcmp(j->p, words[i], k) == 0) { j->p += k; return 1; }
    }
    const char *s = j->p;  /* a number: -?int frac? exp? */
    if (j->p < j->end && *j->p == '-') j->p++;
    if (j->p >= j->end || *j->p < '0' || *j->p > '9') return 0;
    if (*j->p == '0') j->p++; else while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') return 0;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-')) j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') return 0;
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    }
    return j->p > s;
}

/* The body's top-level "path" (the last one, as Python's dict keeps it) into o (body length + 1 bytes); 0 if none. */
static int path_of(const char *body, size_t len, char *o, size_t *n) {
    struct json j = {body, body + len};
    int found = 0;
    ws(&j);
    if (j.p >= j.end || *j.p != '{') return 0;
    j.p++;
    ws(&j);
    if (j.p < j.end && *j.p == '}') return 0;
    for (;;) {
        const char *key = j.p;
        size_t klen;
        char kbuf[8];
        if (!string(&j, NULL, &klen)) return 0;
        int is_path = 0;
        if (klen == 4) {
            struct json k = {key, j.p};
            string(&k, kbuf, NULL);
            is_path = memcmp(kbuf, "path", 4) == 0;
        }
        ws(&j);
        if (j.p >= j.end || *j.p++ != ':') return 0;
        ws(&j);
        if (is_path && j.p < j.end && *j.p == '"') {
            if (!string(&j, o, n)) return 0;
            found = 1;
        } else {
            if (!value(&j, 1)) return 0;
            if (is_path) found = 0; /* json.loads(body)["path"] then is not a string: "%s" of it, left unsupported */
        }
        ws(&j);
        if (j.p >= j.end) return 0;
        char c = *j.p++;
        if (c == '}') break;
        if (c != ',') return 0;
        ws(&j);
    }
    ws(&j);
    return found && j.p == j.end;
}

/* Serves the complete requests in c's buffer; 0 when the connection is to be closed. */
static int serve(struct conn *c) {
    size_t at = 0;
    int keep = 1;
    while (keep) {
        char *start = c->buf + at, *end = memmem(start, c->len - at, "\r\n\r\n", 4);
        if (!end) break;
        size_t head = end - start, n = 0, cl = 0;
        const char *v = header(start, head, "content-length:", &n);
        if (v) {
            char tmp[24];
            if (n >= sizeof tmp) return 0;
            memcpy(tmp, v, n);
            tmp[n] = 0;
            cl = strtoul(tmp, NULL, 10);
        }
        if (c->len - at < head + 4 + cl) break;
        const char *body = end + 4;
        unsigned char mac[32];
        unsigned maclen = 0;
        HMAC(EVP_sha256(), SECRET, sizeof SECRET - 1, (const unsigned char *) body, cl, mac, &maclen);
        char expected[7 + 64];
        memcpy(expected, "sha256=", 7);
        for (int i = 0; i < 32; i++) sprintf(expected + 7 + 2 * i, "%02x", mac[i]);
        const char *sig = header(start, head, "x-ftpbridge-signature:", &n);
        int good = head >= 5 && memcmp(start, "POST ", 5) == 0 && sig && n == sizeof expected
                   && CRYPTO_memcmp(sig, expected, sizeof expected) == 0;
        if (good) {
            char *path = malloc(cl + 1);
            size_t plen;
            if (!path_of(body, cl, path, &plen)) { free(path); return 0; }
            fwrite(path, 1, plen, out);
            fprintf(out, " %.6f\n", monotonic());
            free(path);
            static const char ok[] = "HTTP/1.1 204 No Content\r\n\r\n";
            if (write(c->fd, ok, sizeof ok - 1) < 0) return 0;
        } else {
            fprintf(out, "BAD-SIGNATURE %.6f\n", monotonic());
            static const char no[] = "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n";
            if (write(c->fd, no, sizeof no - 1) < 0) return 0;
        }
        const char *conn = header(start, head, "connection:", &n);
        if (conn && n == 5 && strncasecmp(conn, "close", 5) == 0) keep = 0;
        at += head + 4 + cl;
    }
    memmove(c->buf, c->buf + at, c->len - at);
    c->len -= at;
    return keep;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: %s arrivals-file\n", argv[0]); return 2; }
    out = fopen(argv[1], "w");
    if (!out) { perror(argv[1]); return 1; }
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (bind(ls, (struct sockaddr *) &a, sizeof a) || listen(ls, 1024) || getsockname(ls, (struct sockaddr *) &a, &al)) {
        perror("listen");
        return 1;
    }
    printf("%d\n", ntohs(a.sin_port));
    fflush(stdout);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL}, evs[64];
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    for (;;) {
        int n = epoll_wait(ep, evs, 64, -1);
        if (n < 0 && errno == EINTR) continue;
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    c = calloc(1, sizeof *c);
                    c->fd = fd;
                    c->cap = 16384;
                    c->buf = malloc(c->cap);
                    struct epoll_event ce = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ce);
                }
                continue;
            }
            int open = 1;
            for (;;) {
                if (c->cap - c->len < 4096) c->buf = realloc(c->buf, c->cap *= 2);
                ssize_t r = read(c->fd, c->buf + c->len, c->cap - c->len);
                if (r > 0) { c->len += r; continue; }
                if (r < 0 && errno == EINTR) continue;
                if (r == 0 || errno != EAGAIN) open = 0;
                break;
            }
            if (!serve(c) || !open) {
                close(c->fd);
                free(c->buf);
                free(c);
            }
        }
        fflush(out); /* one write of the arrivals per wake-up */
    }
}
