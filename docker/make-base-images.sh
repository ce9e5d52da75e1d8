#!/usr/bin/env bash
# Makes local base images with debootstrap when no registry serves them (run as root):
#   jre       localhost/ftpbridge-base-jre:17-bookworm       Debian bookworm + openjdk-17-jre-headless
#   jdk       localhost/ftpbridge-base-jdk:17-bookworm-2     Debian bookworm + openjdk-17-jdk-headless (with jmods:
#             the image's jlink stage makes its Java runtime from it) and binutils (strip)
#   runtime   localhost/ftpbridge-base-runtime:bookworm-3    Debian bookworm minbase without Java, apt, perl
#             or dpkg's database: libc, zlib, bash, coreutils, groupadd (24 MB); the image's RUNTIME_IMAGE
#   postgres  localhost/ftpbridge-base-postgres:15-bookworm  Debian bookworm + PostgreSQL 15, with an
#             entrypoint that reads POSTGRES_DB/USER/PASSWORD like the official postgres image
#
#   docker/make-base-images.sh [jre|jdk|runtime|postgres ...]     (default: jdk runtime)
#
# A tag names one recipe: change a recipe, change its tag (the -N suffix), so that a machine that
# keeps its images (CI here) makes the new one instead of reusing the old.
#
# An image that already exists under its tag is kept (FORCE=1 rebuilds it). Packages come from the
# Debian mirror this machine's apt uses (the first URI of /etc/apt/sources.list*; DEBIAN_MIRROR
# overrides it). The container engine is podman (PODMAN overrides the command, e.g. "docker").
set -euo pipefail

SUITE=bookworm
PODMAN=${PODMAN:-podman --runtime runc --cgroup-manager=cgroupfs}
WORK=${WORK:-/var/tmp/ftpbridge-base-images}

mirror() {
    if [[ -n ${DEBIAN_MIRROR:-} ]]; then echo "$DEBIAN_MIRROR"; return; fi
    local uri
    # deb822 (URIs: ...) or one-line (deb URI suite ...) sources; the first entry for debian (not -security)
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | sed -nE 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p; s/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' \
        | grep -E '/debian/?$' | head -n1 || true)
    if [[ -z $uri ]]; then
        echo "no Debian mirror found in /etc/apt/sources.list*; set DEBIAN_MIRROR" >&2
        exit 1
    fi
    echo "${uri%/}"
}

exists() { $PODMAN image exists "$1" 2>/dev/null; }

# debootstrap a minimal bookworm with the given packages into $WORK/$name
bootstrap() {
    local name=$1 packages=$2 root="$WORK/$1" mount
    # an interrupted debootstrap leaves /proc (and /sys) mounted in the tree: never delete through them
    for mount in $(awk -v r="$root/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r); do umount -l "$mount"; done
    rm -rf "$root"
    mkdir -p "$root"
    echo "debootstrap $SUITE from $(mirror) into $root with $packages" >&2
    debootstrap --variant=minbase --include="$packages" "$SUITE" "$root" "$(mirror)" >"$WORK/$name.log" 2>&1 \
        || { tail -n 30 "$WORK/$name.log" >&2; exit 1; }
}

# strip what a runtime image never reads, then import the tree as an image
import() {
    local name=$1 tag=$2 root="$WORK/$1"
    shift 2
    rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/log/* \
        "$root"/usr/share/man "$root"/usr/share/info "$root"/usr/share/locale "$root"/usr/share/doc-base
    find "$root"/usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
    tar -C "$root" --numeric-owner -c . | $PODMAN import --quiet "$@" - "$tag" >/dev/null
    rm -rf "$root"
    echo "made $tag" >&2
}

jre() {
    local tag=localhost/ftpbridge-base-jre:17-bookworm
    if exists "$tag" && [[ -z ${FORCE:-} ]]; then echo "kept $tag" >&2; return; fi
    bootstrap jre openjdk-17-jre-headless
    import jre "$tag" --change 'ENV=JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' --change 'CMD=["java","-version"]'
}

jdk() {
    local tag=localhost/ftpbridge-base-jdk:17-bookworm-2
    if exists "$tag" && [[ -z ${FORCE:-} ]]; then echo "kept $tag" >&2; return; fi
    # binutils: the image's jlink stage strips the symbol tables of the JDK's native libraries
    bootstrap jdk openjdk-17-jdk-headless,binutils
    import jdk "$tag" --change 'ENV=JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' --change 'CMD=["java","-version"]'
}

runtime() {
    local tag=localhost/ftpbridge-base-runtime:bookworm-3 root="$WORK/runtime"
    if exists "$tag" && [[ -z ${FORCE:-} ]]; then echo "kept $tag" >&2; return; fi
    bootstrap runtime zlib1g
    # nothing is installed into this image after it is made: the package tools and what only they
    # use (perl, debconf, gnutls and its libraries, the archive keys, dpkg's own database), the disk
    # and mount tools, PAM and login (groupadd and useradd do not use them), glibc's iconv modules,
    # ldconfig, localedef and locale sources (Java brings its own charsets). What
    # stays: libc, zlib, libstdc++ (the JVM's), bash, coreutils, grep (the health check), groupadd
    local pkg list file
    for pkg in apt libapt-pkg6.0 dpkg debconf libdebconfclient0 adduser perl-base gpgv debian-archive-keyring \
        e2fsprogs logsave libext2fs2 libss2 libcom-err2 mount util-linux bsdutils libblkid1 libmount1 libsmartcols1 \
        libuuid1 libsystemd0 libudev1 libgcrypt20 libgpg-error0 liblz4-1 libxxhash0 libzstd1 libseccomp2 \
        libgnutls30 libp11-kit0 libtasn1-6 libnettle8 libhogweed6 libunistring2 libidn2-0 libffi8 \
        diffutils ncurses-bin sysvinit-utils init-system-helpers tar gzip hostname \
        login libpam-modules libpam-modules-bin libpam-runtime libpam0g libdb5.3; do
        list=$root/var/lib/dpkg/info/$pkg.list
        [[ -f $list ]] || list=$root/var/lib/dpkg/info/$pkg:amd64.list
        [[ -f $list ]] || continue
        while read -r file; do
            # files and links to files only: the lists name directories too, and /bin, /lib, /lib64
            # are links to usr/ directories here
            if [[ (-f $root$file || -L $root$file) && ! -d $root$file ]]; then rm -f "$root$file"; fi
        done <"$list"
    done
    rm -rf "$root"/var/lib/dpkg "$root"/var/cache/debconf "$root"/usr/lib/x86_64-linux-gnu/gconv \
        "$root"/usr/share/i18n "$root"/usr/share/zoneinfo "$root"/usr/share/lintian "$root"/usr/share/bash-completion \
        "$root"/usr/share/perl5 "$root"/etc/apt "$root"/usr/sbin/ldconfig "$root"/usr/bin/localedef
    # what the image build and the health check run still runs
    chroot "$root" /bin/bash -c 'groupadd --help && useradd --help && mkdir --help && chown --help && head --help && grep --help' \
        >/dev/null || { echo "the stripped runtime base lost a tool the image needs" >&2; exit 1; }
    import runtime "$tag" --change 'CMD=["/bin/bash"]'
}

postgres() {
    local tag=localhost/ftpbridge-base-postgres:15-bookworm root="$WORK/postgres"
    if exists "$tag" && [[ -z ${FORCE:-} ]]; then echo "kept $tag" >&2; return; fi
    bootstrap postgres postgresql-common
    # no main cluster at install time: the entrypoint makes one in the volume at the first start
    mkdir -p "$root/etc/postgresql-common"
    echo "create_main_cluster = false" >"$root/etc/postgresql-common/createcluster.conf"
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"
    # the same sources as debootstrap used; apt runs in the chroot with the host's network
    echo "deb $(mirror) $SUITE main" >"$root/etc/apt/sources.list"
    chroot "$root" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends postgresql-15 >>"$WORK/postgres.log" 2>&1 \
        || { tail -n 30 "$WORK/postgres.log" >&2; exit 1; }
    rm -f "$root/usr/sbin/policy-rc.d"
    install -m 0755 /dev/stdin "$root/usr/local/bin/postgres-entrypoint" <<'EOF'
#!/bin/sh
# POSTGRES_DB / POSTGRES_USER / POSTGRES_PASSWORD as the official postgres image reads them
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
mkdir -p "$PGDATA" /run/postgresql
chown postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    pwfile=$(mktemp) && chown postgres "$pwfile"
    printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}" >"$pwfile"
    as_postgres initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --pwfile="$pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    if [ "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" != postgres ]; then
        as_postgres postgres --single -D "$PGDATA" -j postgres >/dev/null <<SQL
CREATE DATABASE "${POSTGRES_DB:-${POSTGRES_USER:-postgres}}" OWNER "${POSTGRES_USER:-postgres}";
SQL
    fi
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*' "$@"
EOF
    import postgres "$tag" \
        --change 'ENV=PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV=PGDATA=/var/lib/postgresql/data' \
        --change 'EXPOSE=5432' \
        --change 'STOPSIGNAL=SIGINT' \
        --change 'ENTRYPOINT=["/usr/local/bin/postgres-entrypoint"]'
}

mkdir -p "$WORK"
# one maker at a time on this machine (parallel test runs share the images and $WORK)
exec 9>"$WORK.lock"
flock 9
[[ $# -gt 0 ]] || set -- jdk runtime
for image in "$@"; do
    case $image in
        jre | jdk | runtime | postgres) "$image" ;;
        *) echo "unknown image $image (jre, jdk, runtime, postgres)" >&2; exit 2 ;;
    esac
done
