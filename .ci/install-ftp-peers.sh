#!/usr/bin/env bash
# vsftpd and pure-ftpd conflict as Debian packages (each "provides ftp-server", and so does
# proftpd), so their binaries are unpacked side by side under /opt/ftp-peers instead of installed.
set -euo pipefail
dest=/opt/ftp-peers
if [ -x "$dest/usr/sbin/vsftpd" ] && [ -x "$dest/usr/sbin/pure-ftpd" ]; then
  exit 0
fi
work=$(mktemp -d)
(cd "$work" && apt-get download vsftpd pure-ftpd >/dev/null)
mkdir -p "$dest"
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$dest"; done
rm -rf "$work"
"$dest/usr/sbin/vsftpd" -v 0>&- 2>&1 | head -n1 || true
