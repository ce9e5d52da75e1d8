# Shared by the benchmarks: starts the built jar (H2, a fresh data dir) and vsftpd 3.0.3 on
# loopback side by side, with one user and one file in both. Source it; it sets:
#   work (temp dir), user/password, ours/vs (ftp:// base URLs), rest (http base), A (admin creds)
#   speed/upspeed (curl helpers), median, and the vsftpd root "$work/vsftpd-root".
# Needs: size_mib set before sourcing. Run as root. BENCH_JAVA_OPTS adds JVM options (e.g. a JFR recording).
vsftpd=${VSFTPD:-/opt/ftp-peers/usr/sbin/vsftpd}
[ -x "$vsftpd" ] || bash .ci/install-ftp-peers.sh
jar=$(ls target/ftpbridge-*.jar 2>/dev/null | head -n1 || true)
[ -n "$jar" ] || { ./mvnw -q -B package -DskipTests; jar=$(ls target/ftpbridge-*.jar | head -n1); }

work=$(mktemp -d /tmp/ftp-bench.XXXXXX)
chmod 755 "$work"   # vsftpd enters local_root as the bench user
cleanup() { kill "${app_pid:-}" "${vs_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

user=benchftp; password=bench-password-1
id "$user" >/dev/null 2>&1 || useradd --no-create-home --home-dir / --shell /bin/bash "$user"
echo "$user:$password" | chpasswd
printf 'auth required pam_unix.so\naccount required pam_unix.so\nsession required pam_permit.so\n' > /etc/pam.d/ftpbridge-bench

mkdir -p "$work/vsftpd-root" "$work/empty" "$work/data"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/payload.bin"
cp "$work/payload.bin" "$work/vsftpd-root/payload.bin"
chown -R "$user:" "$work/vsftpd-root"
cat > "$work/vsftpd.conf" <<CONF
listen=YES
listen_address=127.0.0.1
listen_port=22021
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_root=$work/vsftpd-root
chroot_local_user=YES
allow_writeable_chroot=YES
pam_service_name=ftpbridge-bench
seccomp_sandbox=NO
isolate=NO
isolate_network=NO
secure_chroot_dir=$work/empty
pasv_min_port=28400
pasv_max_port=28499
CONF
"$vsftpd" "$work/vsftpd.conf" > "$work/vsftpd.log" 2>&1 & vs_pid=$!

java -Xmx512m ${BENCH_JAVA_OPTS:-} -jar "$jar" --server.port=28080 --ftpbridge.ftp.port=22121 --ftpbridge.data-dir="$work/data" \
     --ftpbridge.admin.password=bench-admin-pw --ftpbridge.ftp.passive-ports=28500-28599 > "$work/app.log" 2>&1 & app_pid=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:28080/actuator/health >/dev/null && break; sleep 1; done
A=admin:bench-admin-pw
rest=http://127.0.0.1:28080
curl -sf -u $A -H 'Content-Type: application/json' $rest/api/v1/folders -d '{"name":"bench"}' >/dev/null
curl -sf -u $A -H 'Content-Type: application/json' $rest/api/v1/users -d "{\"username\":\"$user\",\"password\":\"$password\",\"mounts\":[{\"folder\":\"bench\",\"path\":\"/\",\"permissions\":[\"LIST\",\"READ\",\"WRITE\",\"DELETE\"]}]}" >/dev/null
# one inode for both servers' payload: downloads from either read the very same page cache (two copies made
# by cp could differ in how the kernel cached them, which swung the download ratio from run to run)
ln "$work/vsftpd-root/payload.bin" "$work/data/storage/bench/payload.bin"
ours=ftp://127.0.0.1:22121
vs=ftp://127.0.0.1:22021

speed() { curl -sS -o /dev/null -w '%{speed_download}\n' --user "$user:$password" "$@"; }
upspeed() { curl -sS -o /dev/null -w '%{speed_upload}\n' --user "$user:$password" -T "$work/payload.bin" "$@"; }
# curl RETR into a file (speed's -o /dev/null would win over a second -o: curl uses the first per URL)
speedto() { curl -sS -o "$1" -w '%{speed_download}\n' --user "$user:$password" "$2"; }
# before each measured run: earlier runs' dirty pages are written back now, not by kernel threads that take
# a core from the next run (each vsftpd upload starts writeback of its file when it closes it: ext4 auto_da_alloc)
# Then the memory the run will write into is made the same for both sides: this VM hands free memory back to its host
# (virtio-balloon free page reporting, 2 MiB blocks that stayed free ~2 s), and the first touch of a page the host took
# back faults on the host: 256 MiB written into the page cache took 0.52 s on reported pages and 0.06 s on pages freed
# a moment before (dd, 2026-11-26 19:40). A run got one or the other depending on what ran before it, and the ratios
# swung with it (a download job 370-1,490 MiB/s in one run). So settle writes and deletes a scratch file a bit larger
# than the payload just before the run: the pages the run then takes were in use a moment ago, on either side.
settle() {
  sync
  dd if=/dev/zero of="$work/settle.scratch" bs=1M count=$((size_mib + 64)) status=none
  rm -f "$work/settle.scratch"
}
# the id of the transfer job in a POST /api/v1/transfers response, without starting a python3 (its ~30 ms
# of CPU at start-up would run beside the job that was just queued and slow it)
jobid() { grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
